package dev.ferry.console.internal;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What the console filters dead letters by: the store's {@link DeadLetterQuery} plus the exception
 * type, which the store does not index and the console matches itself.
 */
public record DeadLetterFilter(DeadLetterQuery query, String exceptionType) {

  /** The parameter names, shared by the REST API, the UI and the CLI. */
  public static final String ENDPOINT = "endpoint";

  public static final String MESSAGE_TYPE = "messageType";
  public static final String REASON = "reason";
  public static final String EXCEPTION_TYPE = "exceptionType";
  public static final String AFTER = "after";
  public static final String BEFORE = "before";
  public static final String LIMIT = "limit";

  /** Reads a filter from named parameters; blank ones are absent. Bad values fail naming them. */
  public static DeadLetterFilter from(Function<String, String> param, int defaultLimit) {
    DeadLetterQuery q = DeadLetterQuery.all().limit(defaultLimit);
    if (present(param.apply(ENDPOINT))) {
      q = q.endpoint(param.apply(ENDPOINT).trim());
    }
    if (present(param.apply(MESSAGE_TYPE))) {
      q = q.messageType(param.apply(MESSAGE_TYPE).trim());
    }
    if (present(param.apply(REASON))) {
      q = q.reason(param.apply(REASON).trim());
    }
    if (present(param.apply(AFTER))) {
      q = q.deadLetteredAfter(instant(AFTER, param.apply(AFTER)));
    }
    if (present(param.apply(BEFORE))) {
      q = q.deadLetteredBefore(instant(BEFORE, param.apply(BEFORE)));
    }
    if (present(param.apply(LIMIT))) {
      try {
        int limit = Integer.parseInt(param.apply(LIMIT).trim());
        if (limit < 1) {
          throw new BadRequestException("limit must be at least 1: " + limit);
        }
        q = q.limit(limit);
      } catch (NumberFormatException e) {
        throw new BadRequestException("limit is not a number: " + param.apply(LIMIT));
      }
    }
    String exception = param.apply(EXCEPTION_TYPE);
    return new DeadLetterFilter(q, present(exception) ? exception.trim() : null);
  }

  /** True when nothing narrows the selection: every dead letter. */
  public boolean isEverything() {
    return query.endpoint() == null
        && query.messageType() == null
        && query.reason() == null
        && query.after() == null
        && query.before() == null
        && exceptionType == null;
  }

  public boolean matches(DeadLetter d) {
    return query.matches(d) && (exceptionType == null || exceptionType.equals(d.exceptionType()));
  }

  /** The criteria given, for the audit trail and error messages. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, ENDPOINT, query.endpoint());
    put(m, MESSAGE_TYPE, query.messageType());
    put(m, REASON, query.reason());
    put(m, EXCEPTION_TYPE, exceptionType);
    put(m, AFTER, query.after());
    put(m, BEFORE, query.before());
    return m;
  }

  private static void put(Map<String, String> m, String k, Object v) {
    if (v != null) {
      m.put(k, v.toString());
    }
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static Instant instant(String name, String raw) {
    try {
      return Instant.parse(raw.trim());
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          name + " is not an ISO-8601 instant such as 2026-01-31T12:00:00Z: " + raw);
    }
  }
}
