package dev.datahub.python;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 specifier set such as {@code >=1.2,!=1.3.*,<2}. Used to check that a locked version
 * satisfies what its dependents ask for. Deliberate simplification: the rule that excludes
 * pre-releases unless asked for is not applied (the lock already chose; we only check bounds).
 */
public record VersionSpecifier(List<Clause> clauses) {

  private static final Pattern CLAUSE = Pattern.compile("\\s*(~=|===|==|!=|<=|>=|<|>)\\s*([^,\\s]+)\\s*");

  /** One comparison, e.g. {@code >=1.2}; {@code wildcard} for {@code ==1.2.*} and {@code !=1.2.*}. */
  public record Clause(String op, String text, Pep440Version version, boolean wildcard) {}

  public VersionSpecifier {
    clauses = List.copyOf(clauses);
  }

  public static VersionSpecifier any() {
    return new VersionSpecifier(List.of());
  }

  /** Parses a comma-separated specifier set; throws {@link IllegalArgumentException} when malformed. */
  public static VersionSpecifier parse(String text) {
    List<Clause> clauses = new ArrayList<>();
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      return any();
    }
    for (String part : trimmed.split(",")) {
      Matcher m = CLAUSE.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a version specifier: " + part.trim());
      }
      String op = m.group(1);
      String v = m.group(2);
      if (op.equals("===")) {
        clauses.add(new Clause(op, v, null, false));
        continue;
      }
      boolean wildcard = v.endsWith(".*");
      if (wildcard && !(op.equals("==") || op.equals("!="))) {
        throw new IllegalArgumentException("'.*' is only allowed with == and !=: " + part.trim());
      }
      Pep440Version version = Pep440Version.parse(wildcard ? v.substring(0, v.length() - 2) : v);
      if (op.equals("~=") && version.release().size() < 2) {
        throw new IllegalArgumentException("~= needs at least two release numbers: " + part.trim());
      }
      clauses.add(new Clause(op, v, version, wildcard));
    }
    return new VersionSpecifier(clauses);
  }

  public boolean isAny() {
    return clauses.isEmpty();
  }

  public boolean contains(Pep440Version candidate) {
    for (Clause c : clauses) {
      if (!matches(c, candidate)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(Clause c, Pep440Version candidate) {
    Pep440Version v = c.version();
    Pep440Version cand = (v != null && v.local() == null) ? candidate.publicVersion() : candidate;
    return switch (c.op()) {
      case "===" -> candidate.toString().equalsIgnoreCase(c.text()) || c.text().equalsIgnoreCase(String.valueOf(candidate));
      case "==" -> c.wildcard() ? prefixMatch(v, candidate) : cand.compareTo(v) == 0;
      case "!=" -> c.wildcard() ? !prefixMatch(v, candidate) : cand.compareTo(v) != 0;
      case "<=" -> cand.compareTo(v) <= 0;
      case ">=" -> cand.compareTo(v) >= 0;
      case "<" -> cand.compareTo(v) < 0
          && (v.isPreRelease() || !(cand.isPreRelease() && sameRelease(cand, v)));
      case ">" -> cand.compareTo(v) > 0
          && (v.post() != Pep440Version.NONE || !(cand.post() != Pep440Version.NONE && sameRelease(cand, v)))
          && !(candidate.local() != null && candidate.publicVersion().compareTo(v) == 0);
      case "~=" -> cand.compareTo(v) >= 0 && prefixMatch(
          new Pep440Version(v.epoch(), v.release().subList(0, v.release().size() - 1), null, Pep440Version.NONE,
              Pep440Version.NONE, Pep440Version.NONE, null), candidate);
      default -> throw new IllegalStateException(c.op());
    };
  }

  private static boolean sameRelease(Pep440Version a, Pep440Version b) {
    return a.epoch() == b.epoch() && Pep440Version.compareRelease(a.release(), b.release()) == 0;
  }

  /** {@code ==1.2.*}: the candidate's release, padded with zeros, starts with the prefix. */
  private static boolean prefixMatch(Pep440Version prefix, Pep440Version candidate) {
    if (prefix.epoch() != candidate.epoch()) {
      return false;
    }
    List<Long> p = prefix.release();
    List<Long> r = candidate.release();
    for (int i = 0; i < p.size(); i++) {
      long x = i < r.size() ? r.get(i) : 0;
      if (x != p.get(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (Clause c : clauses) {
      s.append(s.length() == 0 ? "" : ",").append(c.op()).append(c.text());
    }
    return s.toString();
  }
}
