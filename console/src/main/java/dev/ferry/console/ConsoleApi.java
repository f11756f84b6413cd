package dev.ferry.console;

import java.util.Map;

/**
 * The console's REST API, independent of the HTTP server that carries it: the embedded server and
 * the Jakarta REST resource both hand each request here. The host authenticates the caller; this
 * API checks the CSRF token of every state-changing call.
 */
public interface ConsoleApi {

  /**
   * One HTTP request, as the host received it.
   *
   * @param method {@code GET} or {@code POST}
   * @param path the raw (still percent-encoded) path below the API root, e.g. {@code
   *     /dead-letters/42}
   * @param query the query parameters (first value of each)
   * @param body the request body, empty for none
   * @param operator who is calling, as the audit trail records it
   * @param session what identifies the caller's session, to which its CSRF token is bound
   * @param csrfToken the {@code X-Ferry-Csrf} header, or null
   * @param origin the {@code Origin} header, or null
   * @param host the {@code Host} header, or null
   */
  record Request(
      String method,
      String path,
      Map<String, String> query,
      byte[] body,
      String operator,
      String session,
      String csrfToken,
      String origin,
      String host) {}

  /** The answer: status, content type and body. */
  record Reply(int status, String contentType, byte[] body) {}

  Reply handle(Request request);
}
