package dev.ferry.console.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects state-changing calls against cross-site request forgery: each carries a token bound to
 * the caller's session (an HMAC of the session under a secret of this process) in a header, which a
 * page of another origin can neither read nor set; and a browser's {@code Origin}, when sent, must
 * be the console's own.
 */
public final class CsrfGuard {
  public static final String HEADER = "X-Ferry-Csrf";

  private final byte[] secret = new byte[32];

  public CsrfGuard() {
    new SecureRandom().nextBytes(secret);
  }

  public String token(String session) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(session.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Throws {@link ForbiddenException} unless the call carries this session's token. */
  public void check(String session, String givenToken, String origin, String host) {
    if (origin != null && !origin.isBlank() && !"null".equals(origin) && host != null) {
      String originHost;
      try {
        originHost = URI.create(origin).getAuthority();
      } catch (IllegalArgumentException e) {
        originHost = null;
      }
      if (!host.equalsIgnoreCase(originHost)) {
        throw new ForbiddenException("Cross-origin request refused (Origin " + origin + ")");
      }
    }
    if (givenToken == null
        || !MessageDigest.isEqual(
            token(session).getBytes(StandardCharsets.UTF_8),
            givenToken.getBytes(StandardCharsets.UTF_8))) {
      throw new ForbiddenException(
          "Missing or wrong " + HEADER + " header; fetch it from GET /api/session");
    }
  }
}
