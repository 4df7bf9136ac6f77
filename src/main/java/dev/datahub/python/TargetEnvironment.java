package dev.datahub.python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interpreter in the image, as markers and wheel tags see it. The tag order follows pip
 * ({@code packaging.tags.sys_tags} for CPython): the most specific tag first.
 */
public final class TargetEnvironment {

  private static final Pattern MANYLINUX = Pattern.compile("manylinux_(\\d+)_(\\d+)_(.+)");
  private static final Map<String, String> LEGACY = Map.of("2_17", "manylinux2014", "2_12", "manylinux2010", "2_5", "manylinux1");

  private final Map<String, String> markerValues;
  private final List<WheelTag> tags;
  private final Map<WheelTag, Integer> rank = new LinkedHashMap<>();

  public TargetEnvironment(PythonSpec spec) {
    String[] v = spec.pythonVersion().split("\\.");
    int major = Integer.parseInt(v[0]);
    int minor = Integer.parseInt(v[1]);
    String full = v.length >= 3 ? spec.pythonVersion() : spec.pythonVersion() + ".0";
    List<String> platforms = expandPlatforms(spec.platformList());
    String machine = machineOf(platforms);

    Map<String, String> values = new LinkedHashMap<>();
    values.put("python_version", major + "." + minor);
    values.put("python_full_version", full);
    values.put("implementation_version", full);
    values.put("implementation_name", "cpython");
    values.put("platform_python_implementation", "CPython");
    values.put("os_name", "posix");
    values.put("sys_platform", "linux");
    values.put("platform_system", "Linux");
    values.put("platform_machine", machine);
    values.put("platform_release", "");
    values.put("platform_version", "");
    this.markerValues = Map.copyOf(values);

    String interpreter = "cp" + major + minor;
    Set<WheelTag> ordered = new LinkedHashSet<>();
    for (String abi : List.of(spec.abi(), "abi3", "none")) {
      if (abi.equals("abi3") && !spec.abi().startsWith("cp")) {
        continue;
      }
      for (String p : platforms) {
        ordered.add(new WheelTag(interpreter, abi, p));
      }
    }
    for (int m = minor - 1; m >= 2 && spec.abi().startsWith("cp"); m--) {
      for (String p : platforms) {
        ordered.add(new WheelTag("cp" + major + m, "abi3", p));
      }
    }
    List<String> pyVersions = new ArrayList<>();
    pyVersions.add("py" + major + minor);
    pyVersions.add("py" + major);
    for (int m = minor - 1; m >= 0; m--) {
      pyVersions.add("py" + major + m);
    }
    for (String py : pyVersions) {
      for (String p : platforms) {
        ordered.add(new WheelTag(py, "none", p));
      }
    }
    ordered.add(new WheelTag(interpreter, "none", "any"));
    for (String py : pyVersions) {
      ordered.add(new WheelTag(py, "none", "any"));
    }
    this.tags = List.copyOf(ordered);
    for (int i = 0; i < tags.size(); i++) {
      rank.put(tags.get(i), i);
    }
  }

  /** Marker variable values (PEP 508) of the image's interpreter. */
  public Map<String, String> markerValues() {
    return markerValues;
  }

  /** Supported tags, most specific first. */
  public List<WheelTag> supportedTags() {
    return tags;
  }

  /** The best (lowest) rank among the file's tags, or -1 when none is supported. */
  public int rank(WheelFileName wheel) {
    int best = Integer.MAX_VALUE;
    for (WheelTag t : wheel.tags()) {
      Integer r = rank.get(t);
      if (r != null && r < best) {
        best = r;
      }
    }
    return best == Integer.MAX_VALUE ? -1 : best;
  }

  /** {@code manylinux_2_35_x86_64} also accepts every older manylinux and its legacy alias, newest first. */
  static List<String> expandPlatforms(List<String> platforms) {
    Set<String> out = new LinkedHashSet<>();
    for (String p : platforms) {
      Matcher m = MANYLINUX.matcher(p);
      if (m.matches() && m.group(1).equals("2")) {
        String arch = m.group(3);
        for (int minor = Integer.parseInt(m.group(2)); minor >= 5; minor--) {
          out.add("manylinux_2_" + minor + "_" + arch);
          String legacy = LEGACY.get("2_" + minor);
          if (legacy != null && (minor != 12 && minor != 5 || arch.equals("x86_64") || arch.equals("i686"))) {
            out.add(legacy + "_" + arch);
          }
        }
      } else {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  private static String machineOf(List<String> platforms) {
    for (String p : platforms) {
      for (String arch : List.of("x86_64", "aarch64", "ppc64le", "s390x", "armv7l", "i686")) {
        if (p.endsWith("_" + arch)) {
          return arch;
        }
      }
    }
    return "x86_64";
  }
}
