package dev.datahub.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version, enough to compare versions in specifiers and markers. Ordering follows the
 * PEP: epoch, release (trailing zeros ignored), pre-releases before the release, a dev release
 * before everything of its release, post-releases after, local versions after the public one.
 */
public record Pep440Version(int epoch, List<Long> release, String preLabel, long preNumber, long post, long dev, String local)
    implements Comparable<Pep440Version> {

  // The PEP 440 "VERSION_PATTERN" from its appendix, which also accepts the non-normalized spellings.
  private static final Pattern PATTERN = Pattern.compile(
      "v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
          + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
          + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
          + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)"
          + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
      Pattern.CASE_INSENSITIVE);

  static final long NONE = -1;

  public Pep440Version {
    release = List.copyOf(release);
  }

  /** Parses {@code text}; empty when it is not a PEP 440 version. */
  public static java.util.Optional<Pep440Version> tryParse(String text) {
    Matcher m = PATTERN.matcher(text.trim());
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    int epoch = m.group("epoch") == null ? 0 : Integer.parseInt(m.group("epoch"));
    List<Long> release = new ArrayList<>();
    for (String part : m.group("release").split("\\.")) {
      release.add(Long.parseLong(part));
    }
    String preLabel = null;
    long preNumber = NONE;
    if (m.group("pre") != null) {
      preLabel = switch (m.group("preL").toLowerCase(Locale.ROOT)) {
        case "alpha", "a" -> "a";
        case "beta", "b" -> "b";
        default -> "rc";
      };
      preNumber = m.group("preN") == null ? 0 : Long.parseLong(m.group("preN"));
    }
    long post = NONE;
    if (m.group("post") != null) {
      String n = m.group("postN1") != null ? m.group("postN1") : m.group("postN2");
      post = n == null ? 0 : Long.parseLong(n);
    }
    long dev = NONE;
    if (m.group("dev") != null) {
      dev = m.group("devN") == null ? 0 : Long.parseLong(m.group("devN"));
    }
    String local = m.group("local") == null ? null : m.group("local").toLowerCase(Locale.ROOT).replaceAll("[-_]", ".");
    return java.util.Optional.of(new Pep440Version(epoch, release, preLabel, preNumber, post, dev, local));
  }

  /** Parses {@code text} or throws {@link IllegalArgumentException}. */
  public static Pep440Version parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a PEP 440 version: " + text));
  }

  public boolean isPreRelease() {
    return preLabel != null || dev != NONE;
  }

  /** The version without its local part. */
  public Pep440Version publicVersion() {
    return new Pep440Version(epoch, release, preLabel, preNumber, post, dev, null);
  }

  @Override
  public int compareTo(Pep440Version o) {
    int c = Integer.compare(epoch, o.epoch);
    if (c != 0) {
      return c;
    }
    c = compareRelease(release, o.release);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(preRank(), o.preRank());
    if (c != 0) {
      return c;
    }
    if (preLabel != null && o.preLabel != null) {
      c = Long.compare(preNumber, o.preNumber);
      if (c != 0) {
        return c;
      }
    }
    c = Long.compare(post, o.post); // NONE (-1) sorts before any post-release
    if (c != 0) {
      return c;
    }
    c = Long.compare(dev == NONE ? Long.MAX_VALUE : dev, o.dev == NONE ? Long.MAX_VALUE : o.dev);
    if (c != 0) {
      return c;
    }
    return compareLocal(local, o.local);
  }

  /** Rank of the pre-release part: a dev-only release sorts before alpha; a final release after rc. */
  private int preRank() {
    if (preLabel == null) {
      return (dev != NONE && post == NONE) ? 0 : 4;
    }
    return switch (preLabel) {
      case "a" -> 1;
      case "b" -> 2;
      default -> 3;
    };
  }

  static int compareRelease(List<Long> a, List<Long> b) {
    int n = Math.max(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      long x = i < a.size() ? a.get(i) : 0;
      long y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    return 0;
  }

  private static int compareLocal(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].matches("[0-9]+");
      boolean yn = y[i].matches("[0-9]+");
      int c;
      if (xn && yn) {
        c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
      } else if (xn != yn) {
        c = xn ? 1 : -1; // numeric segments sort after alphanumeric ones
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pep440Version v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    List<Long> trimmed = new ArrayList<>(release);
    while (trimmed.size() > 1 && trimmed.get(trimmed.size() - 1) == 0) {
      trimmed.remove(trimmed.size() - 1);
    }
    return java.util.Objects.hash(epoch, trimmed, preLabel, preNumber, post, dev, local);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (epoch != 0) {
      s.append(epoch).append('!');
    }
    for (int i = 0; i < release.size(); i++) {
      s.append(i == 0 ? "" : ".").append(release.get(i));
    }
    if (preLabel != null) {
      s.append(preLabel).append(preNumber);
    }
    if (post != NONE) {
      s.append(".post").append(post);
    }
    if (dev != NONE) {
      s.append(".dev").append(dev);
    }
    if (local != null) {
      s.append('+').append(local);
    }
    return s.toString();
  }
}
