package dev.ferry.console.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps secrets off the screen: values of headers whose names look like credentials, and credential
 * pairs inside texts such as exception messages ({@code SharedAccessKey=...}).
 */
public final class Redaction {
  public static final String MASK = "[redacted]";

  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(authorization|password|passwd|secret|token|sharedaccess|sas|credential"
              + "|api[-_.]?key|access[-_.]?key|connection[-_.]?string|cookie|signature).*");
  private static final Pattern SECRET_PAIR =
      Pattern.compile(
          "(?i)\\b(SharedAccessKey|SharedAccessSignature|AccountKey|password|pwd|secret|token)"
              + "(\\s*[=:]\\s*)([^;\\s&,\"']+)");

  private Redaction() {}

  public static boolean secretName(String headerName) {
    return SECRET_NAME.matcher(headerName).matches();
  }

  public static Map<String, String> headers(Map<String, String> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k, secretName(k) ? MASK : v));
    return out;
  }

  public static String text(String text) {
    return text == null ? null : SECRET_PAIR.matcher(text).replaceAll("$1$2" + MASK);
  }
}
