package dev.datahub.python;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to install and where: the lock file, where wheels come from, and the target interpreter in
 * the image. Null arguments take the defaults, which fit the Jupyter docker-stacks images
 * (conda's Python 3.11 under {@code /opt/conda}, glibc 2.35, x86_64); the image build replaces
 * them by what the base image really has ({@link #withBaseLayout}, see {@link BasePython}), while
 * settings given explicitly ({@link #explicit}) are kept and checked against the base.
 *
 * @param requirements the lock file: exact pins with {@code --hash=sha256:…} (pip-compile / uv format)
 * @param index simple index URL (PEP 503 HTML or PEP 691 JSON); {@code "none"} or empty disables it
 * @param findLinks a local directory of wheels, searched before the index; may be null
 * @param pythonVersion target Python, {@code 3.11} or {@code 3.11.9}
 * @param abi target ABI tag, e.g. {@code cp311}; {@code abi3} and {@code none} are always accepted
 * @param platforms platform tags, most specific first; {@code manylinux_2_X_arch} also accepts every
 *     older manylinux (and the legacy {@code manylinux2014}/{@code 2010}/{@code 1} aliases)
 * @param sitePackages the site-packages directory in the image (purelib and platlib)
 * @param scriptsDir where scripts and entry-point launchers go in the image
 * @param pythonExecutable the interpreter that launchers and rewritten shebangs name
 * @param providedByBase names the base image provides: they satisfy dependencies and are not installed
 * @param cacheDir download cache, one directory per sha256
 * @param workDir where layer contents are staged, one directory per package and target; a staged
 *     directory is reused as is while the wheel and target stay the same, others are removed
 * @param maxLayers at most this many Python layers; more packages are grouped deterministically
 * @param explicit which of {@code pythonVersion, abi, platforms, sitePackages, scriptsDir,
 *     pythonExecutable} were given rather than defaulted; null: those passed non-blank
 */
public record PythonSpec(
    Path requirements,
    String index,
    Path findLinks,
    String pythonVersion,
    String abi,
    List<String> platforms,
    String sitePackages,
    String scriptsDir,
    String pythonExecutable,
    Set<String> providedByBase,
    Path cacheDir,
    Path workDir,
    int maxLayers,
    Set<String> explicit) {

  public static final String PYPI = "https://pypi.org/simple/";
  public static final String DEFAULT_PYTHON = "3.11";
  public static final List<String> DEFAULT_PLATFORMS = List.of("manylinux_2_35_x86_64", "linux_x86_64");
  public static final int DEFAULT_MAX_LAYERS = 60;

  /** The settings that can be read from the base image. */
  public static final List<String> LAYOUT_SETTINGS =
      List.of("pythonVersion", "abi", "platforms", "sitePackages", "scriptsDir", "pythonExecutable");

  public PythonSpec(Path requirements, String index, Path findLinks, String pythonVersion, String abi,
      List<String> platforms, String sitePackages, String scriptsDir, String pythonExecutable, Set<String> providedByBase,
      Path cacheDir, Path workDir, int maxLayers) {
    this(requirements, index, findLinks, pythonVersion, abi, platforms, sitePackages, scriptsDir, pythonExecutable,
        providedByBase, cacheDir, workDir, maxLayers, null);
  }

  public PythonSpec {
    if (requirements == null) {
      throw new IllegalArgumentException("requirements lock file is required");
    }
    if (explicit == null) {
      Set<String> given = new TreeSet<>();
      Object[] values = {pythonVersion, abi, platforms, sitePackages, scriptsDir, pythonExecutable};
      for (int i = 0; i < values.length; i++) {
        if (values[i] instanceof String text ? !text.isBlank() : values[i] instanceof List<?> list && !list.isEmpty()) {
          given.add(LAYOUT_SETTINGS.get(i));
        }
      }
      explicit = given;
    }
    explicit = Set.copyOf(explicit);
    index = index == null ? PYPI : index.trim();
    pythonVersion = blank(pythonVersion) ? DEFAULT_PYTHON : pythonVersion.trim();
    String[] parts = pythonVersion.split("\\.");
    if (parts.length < 2 || !parts[0].matches("[0-9]+") || !parts[1].matches("[0-9]+")) {
      throw new IllegalArgumentException("pythonVersion must look like 3.11 or 3.11.9, got " + pythonVersion);
    }
    String shortVersion = parts[0] + "." + parts[1];
    abi = blank(abi) ? "cp" + parts[0] + parts[1] : abi.trim();
    platforms = platforms == null || platforms.isEmpty() ? DEFAULT_PLATFORMS : List.copyOf(platforms);
    sitePackages = trimSlash(blank(sitePackages) ? "/opt/conda/lib/python" + shortVersion + "/site-packages" : sitePackages);
    scriptsDir = trimSlash(blank(scriptsDir) ? "/opt/conda/bin" : scriptsDir);
    pythonExecutable = blank(pythonExecutable) ? scriptsDir + "/python" : pythonExecutable.trim();
    for (String p : List.of(sitePackages, scriptsDir, pythonExecutable)) {
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException("image paths must be absolute: " + p);
      }
    }
    Set<String> provided = new TreeSet<>();
    if (providedByBase != null) {
      providedByBase.forEach(n -> provided.add(PackageName.normalize(n)));
    }
    providedByBase = Set.copyOf(provided);
    cacheDir = cacheDir == null ? defaultCacheDir() : cacheDir;
    workDir = workDir == null ? Path.of("target", "datahub", "python") : workDir;
    maxLayers = maxLayers <= 0 ? DEFAULT_MAX_LAYERS : maxLayers;
  }

  /** A spec with every default; only the lock file, cache and staging directory given. */
  public static PythonSpec of(Path requirements, Path cacheDir, Path workDir) {
    return new PythonSpec(requirements, null, null, null, null, null, null, null, null, null, cacheDir, workDir, 0, null);
  }

  public static Path defaultCacheDir() {
    return Path.of(System.getProperty("user.home"), ".cache", "datahub", "wheels");
  }

  public PythonSpec withIndex(String newIndex) {
    return new PythonSpec(requirements, newIndex, findLinks, pythonVersion, abi, platforms, sitePackages, scriptsDir,
        pythonExecutable, providedByBase, cacheDir, workDir, maxLayers, explicit);
  }

  public PythonSpec withFindLinks(Path dir) {
    return new PythonSpec(requirements, index, dir, pythonVersion, abi, platforms, sitePackages, scriptsDir,
        pythonExecutable, providedByBase, cacheDir, workDir, maxLayers, explicit);
  }

  public PythonSpec withRequirements(Path lock) {
    return new PythonSpec(lock, index, findLinks, pythonVersion, abi, platforms, sitePackages, scriptsDir,
        pythonExecutable, providedByBase, cacheDir, workDir, maxLayers, explicit);
  }

  public PythonSpec withProvidedByBase(Set<String> names) {
    return new PythonSpec(requirements, index, findLinks, pythonVersion, abi, platforms, sitePackages, scriptsDir,
        pythonExecutable, names, cacheDir, workDir, maxLayers, explicit);
  }

  public PythonSpec withMaxLayers(int max) {
    return new PythonSpec(requirements, index, findLinks, pythonVersion, abi, platforms, sitePackages, scriptsDir,
        pythonExecutable, providedByBase, cacheDir, workDir, max, explicit);
  }

  public PythonSpec withTarget(String version, String newAbi, List<String> newPlatforms) {
    Set<String> given = new TreeSet<>(explicit);
    given.addAll(List.of("pythonVersion", "abi", "platforms"));
    return new PythonSpec(requirements, index, findLinks, version, newAbi, newPlatforms, sitePackages, scriptsDir,
        pythonExecutable, providedByBase, cacheDir, workDir, maxLayers, given);
  }

  /**
   * This spec with what the base image has in place of every default; explicit settings stay as
   * given (the caller checks them against the base). The ABI follows the version unless given.
   */
  public PythonSpec withBaseLayout(String version, List<String> basePlatforms, String baseSitePackages,
      String baseScriptsDir, String baseExecutable) {
    return new PythonSpec(requirements, index, findLinks,
        explicit.contains("pythonVersion") ? pythonVersion : version,
        explicit.contains("abi") ? abi : null,
        explicit.contains("platforms") || basePlatforms.isEmpty() ? platforms : basePlatforms,
        explicit.contains("sitePackages") ? sitePackages : baseSitePackages,
        explicit.contains("scriptsDir") ? scriptsDir : baseScriptsDir,
        explicit.contains("pythonExecutable") ? pythonExecutable : baseExecutable,
        providedByBase, cacheDir, workDir, maxLayers, explicit);
  }

  /** True when an index is configured (not disabled with {@code none}). */
  public boolean hasIndex() {
    return !index.isEmpty() && !index.equalsIgnoreCase("none");
  }

  /** The image prefix ({@code /opt/conda}): the parent of the scripts directory; {@code .data/data} goes here. */
  public String prefix() {
    int slash = scriptsDir.lastIndexOf('/');
    return slash <= 0 ? "/" : scriptsDir.substring(0, slash);
  }

  /** {@code 3.11} from {@code 3.11.9}. */
  public String shortPythonVersion() {
    String[] parts = pythonVersion.split("\\.");
    return parts[0] + "." + parts[1];
  }

  List<String> platformList() {
    return new ArrayList<>(platforms);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String trimSlash(String p) {
    String t = p.trim();
    while (t.length() > 1 && t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
