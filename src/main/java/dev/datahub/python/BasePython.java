package dev.datahub.python;

import dev.datahub.DataHubException;
import dev.datahub.image.BaseImageLayers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python a base image really has, read from its layers: the interpreter, its version, the
 * site-packages directories its {@code sys.path} holds (the first is where packages are installed),
 * the scripts directory, and glibc's version and the machine for platform tags. Known layouts:
 *
 * <ul>
 *   <li>conda (Jupyter docker-stacks): {@code /opt/conda/bin/python},
 *       {@code /opt/conda/lib/python3.X/site-packages}, scripts in {@code /opt/conda/bin};
 *   <li>Debian/Ubuntu {@code python3}: {@code /usr/bin/python3}, installs into
 *       {@code /usr/local/lib/python3.X/dist-packages} (ahead of the distribution's
 *       {@code /usr/lib/python3/dist-packages} on {@code sys.path}), scripts in {@code /usr/local/bin};
 *   <li>python.org images and virtual environments: {@code <prefix>/bin/python3} with
 *       {@code <prefix>/lib/python3.X/site-packages}.
 * </ul>
 *
 * @param executable absolute path of the interpreter
 * @param version {@code 3.11}
 * @param siteDirs site-packages directories in {@code sys.path} order; packages go into the first
 * @param glibc {@code 2.36}, or null when the base has no glibc this class can read (e.g. musl)
 * @param machine {@code x86_64}, {@code aarch64}
 */
public record BasePython(String executable, String version, List<String> siteDirs, String scriptsDir, String glibc,
    String machine) {

  static final List<String> EXECUTABLES =
      List.of("/opt/conda/bin/python", "/opt/conda/bin/python3", "/usr/local/bin/python3", "/usr/bin/python3");
  private static final List<String> PREFIXES = List.of("/opt/conda", "/usr/local", "/usr");
  private static final Map<String, String> LIBC_DIRS = Map.of(
      "/usr/lib/x86_64-linux-gnu", "x86_64", "/lib/x86_64-linux-gnu", "x86_64", "/usr/lib64", "x86_64",
      "/lib64", "x86_64", "/usr/lib/aarch64-linux-gnu", "aarch64", "/lib/aarch64-linux-gnu", "aarch64");
  private static final Pattern METADATA_FILE = Pattern.compile(
      "[^/]+\\.(dist-info/(METADATA|RECORD)|egg-info(/(PKG-INFO|installed-files\\.txt))?)");
  private static final Pattern PYTHON_NAME = Pattern.compile("python(3\\.\\d+)");
  private static final Pattern LIB_PYTHON = Pattern.compile("/lib/python(3\\.\\d+)");
  private static final Pattern LIBC_FILE = Pattern.compile("libc-(\\d+\\.\\d+)\\.so");
  private static final Pattern GLIBC_BANNER = Pattern.compile("release version (\\d+\\.\\d+)");
  private static final Pattern GLIBC_SYMBOL = Pattern.compile("GLIBC_2\\.(\\d+)");

  public BasePython {
    siteDirs = List.copyOf(siteDirs);
  }

  /** What to read from the base image's layers to learn its Python, for {@link BaseImageLayers#scan}. */
  public record Query(String cacheKey, Predicate<String> files, Predicate<String> entries) {}

  /** The scan that serves {@link #detect} and the base's installed distributions. */
  public static Query query(PythonSpec spec) {
    Set<String> prefixes = new LinkedHashSet<>(PREFIXES);
    Set<String> siteDirs = new TreeSet<>();
    Set<String> executables = new LinkedHashSet<>(EXECUTABLES);
    if (spec.explicit().contains("pythonExecutable")) {
      executables.add(spec.pythonExecutable());
      prefixes.add(parent(parent(spec.pythonExecutable())));
    }
    if (spec.explicit().contains("scriptsDir")) {
      prefixes.add(parent(spec.scriptsDir()));
    }
    if (spec.explicit().contains("sitePackages")) {
      siteDirs.add(spec.sitePackages());
    }
    List<Pattern> sitePatterns = new ArrayList<>();
    for (String prefix : prefixes) {
      sitePatterns.add(Pattern.compile(Pattern.quote(prefix.equals("/") ? "" : prefix)
          + "/lib/python3(\\.\\d+)?/(site|dist)-packages/" + METADATA_FILE.pattern()));
    }
    for (String dir : siteDirs) {
      sitePatterns.add(Pattern.compile(Pattern.quote(dir) + "/" + METADATA_FILE.pattern()));
    }
    Predicate<String> files = p -> isLibc(p) || sitePatterns.stream().anyMatch(s -> s.matcher(p).matches());
    Predicate<String> entries = p -> executables.contains(p) || isLibc(p)
        || LIBC_DIRS.containsKey(parent(p)) && LIBC_FILE.matcher(name(p)).matches();
    String key = "python-v2 " + prefixes + " " + siteDirs + " " + executables;
    return new Query(key, files, entries);
  }

  /** What {@link BaseImageLayers} keeps of a wanted file: glibc's version out of libc, the text of anything else. */
  public static String keep(String path, byte[] content) {
    if (!isLibc(path)) {
      return new String(content, StandardCharsets.UTF_8);
    }
    String text = new String(content, StandardCharsets.ISO_8859_1);
    Matcher banner = GLIBC_BANNER.matcher(text);
    if (banner.find()) {
      return banner.group(1);
    }
    int newest = -1;
    for (Matcher m = GLIBC_SYMBOL.matcher(text); m.find(); ) {
      newest = Math.max(newest, Integer.parseInt(m.group(1)));
    }
    return newest < 0 ? "" : "2." + newest;
  }

  /**
   * The base's Python as {@link #query} read it. A base without an interpreter at a known place
   * fails with one line, except a conda {@code site-packages} without its interpreter (then
   * {@code /opt/conda/bin/python} is assumed).
   */
  public static BasePython detect(BaseImageLayers.Contents base, PythonSpec spec, String from) {
    Map<String, String> entries = base.entries();
    Set<String> dirs = base.directories().keySet();
    String executable = spec.explicit().contains("pythonExecutable") && entries.containsKey(spec.pythonExecutable())
        ? spec.pythonExecutable() : EXECUTABLES.stream().filter(entries::containsKey).findFirst().orElse(null);
    String prefix;
    if (executable != null) {
      prefix = parent(parent(executable));
    } else if (dirs.stream().anyMatch(d -> d.matches("/opt/conda/lib/python3\\.\\d+/site-packages"))) {
      executable = "/opt/conda/bin/python";
      prefix = "/opt/conda";
    } else {
      throw new DataHubException("base image " + from + " has no Python interpreter at " + String.join(", ", EXECUTABLES)
          + " — choose a base image with Python 3, or set <pythonExecutable> to where its interpreter is");
    }
    String version = null;
    Matcher named = PYTHON_NAME.matcher(name(entries.getOrDefault(executable, "")));
    if (named.matches()) {
      version = named.group(1);
    } else {
      String lib = (prefix.equals("/") ? "" : prefix) + "/lib/python";
      int bestMinor = -1;
      for (String d : dirs) {
        if (d.startsWith(lib) && d.substring(lib.length()).matches("3\\.\\d+")) {
          int minor = Integer.parseInt(d.substring(lib.length() + 2));
          if (minor > bestMinor) {
            bestMinor = minor;
            version = "3." + minor;
          }
        }
      }
    }
    if (version == null) {
      version = spec.explicit().contains("pythonVersion") ? spec.shortPythonVersion() : null;
    }
    if (version == null) {
      throw new DataHubException("cannot tell the Python version of " + executable + " in base image " + from
          + " (no " + prefix + "/lib/python3.X directory) — set <pythonVersion>");
    }
    List<String> siteDirs = new ArrayList<>();
    String scripts;
    if (prefix.equals("/usr") && dirs.contains("/usr/lib/python3/dist-packages")) {
      siteDirs.add("/usr/local/lib/python" + version + "/dist-packages");
      siteDirs.add("/usr/lib/python3/dist-packages");
      scripts = "/usr/local/bin";
    } else {
      siteDirs.add(prefix + "/lib/python" + version + "/site-packages");
      scripts = prefix + "/bin";
    }
    String glibc = null;
    String machine = null;
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
      String path = e.getKey();
      if (!LIBC_DIRS.containsKey(parent(path)) || glibc != null) {
        continue;
      }
      Matcher byName = LIBC_FILE.matcher(name(e.getValue().isEmpty() ? path : e.getValue()));
      String read = base.files().getOrDefault(path, "");
      if (byName.matches()) {
        glibc = byName.group(1);
      } else if (isLibc(path) && !read.isEmpty()) {
        glibc = read;
      }
      if (glibc != null) {
        machine = LIBC_DIRS.get(parent(path));
      }
    }
    return new BasePython(executable, version, siteDirs, scripts, glibc, machine);
  }

  /**
   * {@code spec} with this base's layout in place of every default, after checking that what was
   * set explicitly exists in the base; a setting that does not fails with one line naming what the
   * base has.
   */
  public PythonSpec applyTo(PythonSpec spec, BaseImageLayers.Contents base, String from) {
    Set<String> explicit = spec.explicit();
    String has = "it has " + executable + " (Python " + version + ") with " + String.join(" and ", siteDirs)
        + ", scripts in " + scriptsDir;
    if (explicit.contains("pythonExecutable") && !base.entries().containsKey(spec.pythonExecutable())) {
      throw new DataHubException("<pythonExecutable> " + spec.pythonExecutable() + " is not in base image " + from
          + " — " + has + "; remove <pythonExecutable> to use it");
    }
    if (explicit.contains("sitePackages") && !siteDirs.contains(spec.sitePackages())
        && !base.directories().containsKey(spec.sitePackages())) {
      throw new DataHubException("<sitePackages> " + spec.sitePackages() + " is not in base image " + from
          + " — " + has + "; remove <sitePackages> to use them");
    }
    if (explicit.contains("scriptsDir") && !spec.scriptsDir().equals(scriptsDir)
        && !base.directories().containsKey(spec.scriptsDir())) {
      throw new DataHubException("<scriptsDir> " + spec.scriptsDir() + " is not in base image " + from
          + " — " + has + "; remove <scriptsDir> to use it");
    }
    if (explicit.contains("pythonVersion") && !spec.shortPythonVersion().equals(version)) {
      throw new DataHubException("<pythonVersion> " + spec.pythonVersion() + " does not match base image " + from
          + " — " + has + "; remove <pythonVersion> or choose a base with Python " + spec.shortPythonVersion());
    }
    List<String> platforms = glibc == null ? List.of()
        : List.of("manylinux_" + glibc.replace('.', '_') + "_" + machine, "linux_" + machine);
    return spec.withBaseLayout(version, platforms, siteDirs.get(0), scriptsDir, executable);
  }

  /** Where installed distributions are read: the target first, then the rest of the base's {@code sys.path}. */
  List<String> siteDirsWithTarget(String target) {
    List<String> dirs = new ArrayList<>();
    dirs.add(target);
    siteDirs.stream().filter(d -> !d.equals(target)).forEach(dirs::add);
    return dirs;
  }

  /** One line for the build log. */
  public String describe() {
    return executable + " (Python " + version + (glibc == null ? "" : ", glibc " + glibc + " " + machine)
        + "), site-packages " + String.join(", ", siteDirs) + ", scripts in " + scriptsDir;
  }

  private static boolean isLibc(String path) {
    return name(path).equals("libc.so.6") && LIBC_DIRS.containsKey(parent(path));
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
