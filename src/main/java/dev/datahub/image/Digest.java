package dev.datahub.image;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A content digest {@code sha256:<64 lowercase hex>} (image manifests, chart archives, values layers). The one place
 * that knows the syntax: image references ({@code ImageRef}), image.json, Jib's log lines and the smoke test's observed
 * image all parse digests here.
 */
public record Digest(String value) {

  /** The syntax, for composing larger patterns (an image reference ends in {@code @} + this). */
  public static final String SYNTAX = "sha256:[0-9a-f]{64}";

  private static final Pattern EXACT = Pattern.compile(SYNTAX);

  public Digest {
    if (value == null || !EXACT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a digest sha256:<64 hex>: " + value);
    }
  }

  public static boolean isValid(String text) {
    return text != null && EXACT.matcher(text).matches();
  }

  /** The first digest in a text (an image reference {@code repo:tag@sha256:…}, a log line), if any. */
  public static Optional<Digest> find(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = EXACT.matcher(text);
    return m.find() ? Optional.of(new Digest(m.group())) : Optional.empty();
  }

  /** {@link #find} as the digest string, or null: for records and reports that hold strings. */
  public static String in(String text) {
    return find(text).map(Digest::value).orElse(null);
  }

  /** The first 12 hex characters, for one-line messages. */
  public String shortHex() {
    return value.substring(7, 19);
  }

  @Override
  public String toString() {
    return value;
  }
}
