package dev.datahub;

import java.net.URI;
import java.util.Optional;

/**
 * The redirect rule of the plugin's own HTTP reads (registry API, package index): they follow redirects themselves
 * ({@code HttpURLConnection}'s own following drops nothing and crosses schemes silently), so the rule lives here once.
 */
public final class Redirects {

  private Redirects() {}

  /**
   * Where an answer redirects to: a 301, 302, 303, 307 or 308 with a {@code Location}, resolved against {@code from};
   * empty for any other answer and for a redirect from HTTPS to anything but HTTPS (never followed).
   */
  public static Optional<URI> target(URI from, int status, String location) {
    boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (!redirect || location == null) {
      return Optional.empty();
    }
    URI next = from.resolve(location);
    if ("https".equals(from.getScheme()) && !"https".equals(next.getScheme())) {
      return Optional.empty();
    }
    return Optional.of(next);
  }
}
