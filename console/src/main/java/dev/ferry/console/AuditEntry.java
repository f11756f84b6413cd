package dev.ferry.console;

import java.time.Instant;

/**
 * One operator action on dead letters, as the audit trail keeps it.
 *
 * @param at when it was done
 * @param operator who did it: the container's user name, or the embedded server's operator name,
 *     with the channel ({@code web} or {@code cli})
 * @param action what: {@code replay}, {@code replay-edited}, {@code purge} or {@code drain}
 * @param target which: a dead letter's id, a list of ids or a query
 * @param result how it ended, e.g. {@code "replayed 3"} or {@code "rejected: ..."}
 */
public record AuditEntry(
    Instant at, String operator, String action, String target, String result) {}
