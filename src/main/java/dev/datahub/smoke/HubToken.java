package dev.datahub.smoke;

import java.util.Objects;

/**
 * The hub API token and where it came from. {@link #toString()} shows only the source, so the
 * token cannot leak through string concatenation; register {@link #value()} with the Redactor.
 *
 * @param value the token
 * @param source where it was read, for messages, e.g. {@code settings.xml <server> datahub-hub-staging}
 */
public record HubToken(String value, String source) {

  public HubToken {
    Objects.requireNonNull(value, "token");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public String toString() {
    return "HubToken[" + source + "]";
  }
}
