package dev.datahub.python;

import dev.datahub.DataHubException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * No resolver, only a completeness check: every {@code Requires-Dist} of every locked package whose
 * marker holds for the target (extras followed transitively) must be locked, listed as provided by the
 * base image, or installed in the base image in a version that fits; and a locked version must satisfy
 * the specifiers of the packages that need it.
 */
final class DependencyCheck {

  private DependencyCheck() {}

  /**
   * @param versions normalized name → locked version of every locked package that applies to the image
   * @param metadata normalized name → metadata of every package to install (their dependencies are checked)
   * @param lockExtras extras requested on the lock lines, by normalized name
   * @param base what the base image has: for hints in errors and version warnings for provided packages
   * @return warnings (a provided package whose base version misses a dependent's range)
   */
  static List<String> check(Map<String, Pep440Version> versions, Map<String, WheelMetadata> metadata,
      Map<String, Set<String>> lockExtras, Set<String> providedByBase, BaseImageFiles base, TargetEnvironment env) {
    Set<String> warnings = new TreeSet<>();
    Map<String, List<Requirement>> requires = new TreeMap<>();
    for (var e : metadata.entrySet()) {
      List<Requirement> reqs = new ArrayList<>();
      for (String text : e.getValue().requiresDist()) {
        try {
          reqs.add(Requirement.parse(text));
        } catch (IllegalArgumentException bad) {
          throw new DataHubException("cannot read Requires-Dist '" + text + "' of " + e.getKey() + ": " + bad.getMessage()
              + " — report it to the package; as a workaround, add " + e.getKey() + " to <providedByBase> with its "
              + "dependencies and install it in the base image");
        }
      }
      requires.put(e.getKey(), reqs);
    }
    Map<String, Set<String>> extras = new HashMap<>();
    versions.keySet().forEach(n -> extras.put(n, new HashSet<>(lockExtras.getOrDefault(n, Set.of()))));
    Map<String, Set<String>> missing = new TreeMap<>();
    Set<String> conflicts = new TreeSet<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      missing.clear();
      conflicts.clear();
      for (var e : requires.entrySet()) {
        String who = e.getKey();
        for (Requirement r : e.getValue()) {
          if (!r.appliesTo(env, extras.get(who))) {
            continue;
          }
          String dep = r.normalizedName();
          if (dep.equals(who)) {
            // a self-reference with extras, e.g. "pkg[extra]": the extras apply to the package itself
            changed |= extras.get(who).addAll(r.extras());
            continue;
          }
          if (providedByBase.contains(dep)) {
            base.find(dep).flatMap(d -> Pep440Version.tryParse(d.version()))
                .filter(v -> !r.specifier().contains(v))
                .ifPresent(v -> warnings.add(who + " " + versions.get(who) + " needs " + dep + r.specifier()
                    + " but the base image provides " + dep + " " + v));
            continue;
          }
          Pep440Version locked = versions.get(dep);
          if (locked == null && base.find(dep).flatMap(d -> Pep440Version.tryParse(d.version()))
              .filter(v -> r.specifier().contains(v)).isPresent()) {
            continue; // the base image has a version that fits (as pip would leave it); its own dependencies are the base's
          }
          String needer = who + " " + versions.get(who) + (r.specifier().isAny() ? "" : " needs " + r.specifier());
          if (locked == null) {
            missing.computeIfAbsent(r.name() + (r.extras().isEmpty() ? "" : "[" + String.join(",", new TreeSet<>(r.extras())) + "]"),
                k -> new LinkedHashSet<>()).add(needer);
            continue;
          }
          if (!r.specifier().contains(locked)) {
            conflicts.add(who + " " + versions.get(who) + " needs " + dep + r.specifier() + " but the lock pins "
                + dep + "==" + locked);
          }
          changed |= extras.get(dep).addAll(r.extras());
        }
      }
    }
    if (!missing.isEmpty()) {
      List<String> parts = new ArrayList<>();
      missing.forEach((dep, who) -> parts.add(dep + " (needed by " + String.join(", ", who) + ")"
          + base.find(PackageName.normalize(dep.replaceAll("\\[.*", ""))).map(d -> " [the base image has " + d.name() + " "
              + d.version() + ": add it to <providedByBase>]").orElse("")));
      throw new DataHubException("the Python lock is incomplete: missing " + String.join("; ", parts)
          + " — regenerate the lock with pip-compile/uv so it pins every dependency, or list base-image packages in "
          + "<providedByBase>");
    }
    if (!conflicts.isEmpty()) {
      throw new DataHubException("the Python lock is inconsistent: " + String.join("; ", conflicts)
          + " — regenerate the lock with pip-compile/uv instead of editing versions by hand");
    }
    return List.copyOf(warnings);
  }
}
