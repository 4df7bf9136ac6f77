package dev.datahub.python;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 508 dependency as found in {@code Requires-Dist}: {@code name[extras] specifier ; marker}
 * (also the older {@code name (>=1.0)} form). URL requirements keep their name only.
 */
public record Requirement(String name, Set<String> extras, VersionSpecifier specifier, Marker marker, String text) {

  private static final Pattern FORM = Pattern.compile(
      "\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(?:\\[([^\\]]*)\\])?\\s*"
          + "(?:\\(([^)]*)\\)|([^;@]*))?\\s*(@[^;]*)?\\s*(?:;(.*))?");

  public Requirement {
    extras = Set.copyOf(extras);
  }

  public static Requirement parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a PEP 508 requirement: " + text);
    }
    Set<String> extras = new LinkedHashSet<>();
    if (m.group(2) != null) {
      for (String e : m.group(2).split(",")) {
        if (!e.isBlank()) {
          extras.add(PackageName.normalize(e));
        }
      }
    }
    String spec = m.group(3) != null ? m.group(3) : m.group(4);
    VersionSpecifier specifier = spec == null || m.group(5) != null ? VersionSpecifier.any() : VersionSpecifier.parse(spec);
    Marker marker = m.group(6) == null || m.group(6).isBlank() ? null : Marker.parse(m.group(6));
    return new Requirement(m.group(1), extras, specifier, marker, text.trim());
  }

  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /** True when this dependency applies to the target, given the extras requested of the package that declares it. */
  public boolean appliesTo(TargetEnvironment env, Set<String> requestedExtras) {
    return marker == null || marker.evaluateAny(env, requestedExtras);
  }
}
