package dev.datahub.python;

import dev.datahub.DataHubException;
import dev.datahub.image.ImageLayer;
import dev.datahub.image.ImageLayer.ImageFile;
import dev.datahub.log.StepLog;
import dev.datahub.python.LockFile.LockedRequirement;
import dev.datahub.python.WheelInstaller.WheelArchive;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Python packages from a hashed lock file, as image layers, with no pip and no Docker: read the
 * lock, pick and download (or reuse) one verified wheel per package, check the lock is complete for
 * the target, install each wheel per PEP 427 into a staging directory, hide a replaced base-image
 * version with whiteouts, and hand back one layer per package. Nothing is returned (so nothing can
 * be pushed) unless every step succeeded.
 */
public final class PythonPackages {

  /** Holds the (empty) whiteout files of every package; they are shared and never rewritten. */
  static final String WHITEOUTS_DIR = "whiteouts";

  /** Layer limit of Docker/containerd overlay images. */
  public static final int MAX_IMAGE_LAYERS = 127;

  /** What {@link #install} produced: the installed packages and their layers. */
  public record Result(List<InstalledPackage> packages, List<ImageLayer> layers, int downloads, long downloadedBytes) {
    public Result {
      packages = List.copyOf(packages);
      layers = List.copyOf(layers);
    }
  }

  /** The layers to add on top of the base image, bottom first. */
  public List<ImageLayer> layers(PythonSpec spec, BaseImageFiles base, StepLog log) {
    return install(spec, base, log).layers();
  }

  public Result install(PythonSpec spec, BaseImageFiles base, StepLog log) {
    long started = System.nanoTime();
    int bound = Math.min(spec.maxLayers(), MAX_IMAGE_LAYERS - base.layerCount());
    if (bound < 1) {
      throw new DataHubException("the image already has " + base.layerCount() + " layers, no room for Python layers "
          + "under the limit of " + MAX_IMAGE_LAYERS + " — use a base image with fewer layers");
    }
    TargetEnvironment env = new TargetEnvironment(spec);
    LockFile lock = LockFile.read(spec.requirements());
    Map<String, LockedRequirement> wanted = new TreeMap<>();
    for (LockedRequirement r : lock.requirements()) {
      if (r.marker() != null && !r.marker().evaluate(env, "")) {
        log.debug("python: " + r.name() + "==" + r.version() + " skipped, marker '" + r.marker() + "' is false for the image");
        continue;
      }
      LockedRequirement previous = wanted.put(r.normalizedName(), r);
      if (previous != null) {
        throw new DataHubException("Python lock " + spec.requirements().getFileName() + " pins " + r.normalizedName()
            + " twice for the image (lines " + previous.line() + " and " + r.line() + ") — keep one pin per package "
            + "(or make the markers exclusive)");
      }
    }
    for (String provided : spec.providedByBase()) {
      LockedRequirement r = wanted.remove(provided);
      if (r != null) {
        log.info("python: " + r.name() + "==" + r.version() + " not installed: listed in <providedByBase>");
      }
    }

    // The exact locked version is already in the base image: nothing to install, nothing to replace.
    Map<String, Pep440Version> alreadyInBase = new TreeMap<>();
    for (var it = wanted.values().iterator(); it.hasNext(); ) {
      LockedRequirement r = it.next();
      var existing = base.find(r.normalizedName()).flatMap(d -> Pep440Version.tryParse(d.version()));
      if (existing.isPresent() && existing.get().equals(r.pep440())) {
        log.info("python: " + r.name() + " " + r.version() + " is already in the base image — not installed");
        alreadyInBase.put(r.normalizedName(), r.pep440());
        it.remove();
      }
    }

    List<PackageSource> sources = new ArrayList<>();
    if (spec.findLinks() != null) {
      sources.add(new FindLinksDirectory(spec.findLinks()));
    }
    if (spec.hasIndex()) {
      sources.add(new SimpleIndex(spec.index()));
    }
    if (sources.isEmpty() && !wanted.isEmpty()) {
      throw new DataHubException("no package source: <index> is 'none' and no <findLinks> is set — set one of them");
    }
    WheelCache cache = new WheelCache(spec.cacheDir());
    WheelSelector selector = new WheelSelector(sources, cache, env);

    Map<String, WheelSelector.Selection> selected = new LinkedHashMap<>();
    for (LockedRequirement r : wanted.values()) {
      WheelSelector.Selection s = selector.select(r);
      selected.put(r.normalizedName(), s);
      log.debug("python: " + r.name() + " " + r.version() + " ← " + s.wheel().getFileName() + (s.fromCache() ? " (cached)" : ""));
    }

    Map<String, WheelArchive> archives = new TreeMap<>();
    try {
      Map<String, Pep440Version> versions = new TreeMap<>(alreadyInBase);
      Map<String, WheelMetadata> metadata = new TreeMap<>();
      Map<String, Set<String>> lockExtras = new HashMap<>();
      for (LockedRequirement r : wanted.values()) {
        WheelArchive a = WheelArchive.open(selected.get(r.normalizedName()).wheel(), r.normalizedName());
        archives.put(r.normalizedName(), a);
        checkMetadata(r, a, env, spec);
        versions.put(r.normalizedName(), r.pep440());
        metadata.put(r.normalizedName(), a.metadata);
        lockExtras.put(r.normalizedName(), r.extras());
      }
      for (String warning : DependencyCheck.check(versions, metadata, lockExtras, spec.providedByBase(), base, env)) {
        log.warn("python: " + warning);
      }

      WheelInstaller installer = new WheelInstaller(spec);
      List<InstalledPackage> installed = new ArrayList<>();
      Set<Path> used = new java.util.HashSet<>();
      Path whiteoutRoot = spec.workDir().resolve(WHITEOUTS_DIR);
      used.add(whiteoutRoot);
      for (LockedRequirement r : wanted.values()) {
        WheelSelector.Selection s = selected.get(r.normalizedName());
        Path stageRoot = installer.stageRoot(spec.workDir(), r.normalizedName(), r.version(), s.sha256());
        used.add(stageRoot);
        installed.add(installer.installOrReuse(archives.get(r.normalizedName()), r.name(), r.version(), s.sha256(),
            stageRoot));
      }
      removeUnused(spec.workDir(), used);
      BaseReplacement replacement = new BaseReplacement(spec, base, installed);
      List<InstalledPackage> withWhiteouts = new ArrayList<>();
      for (InstalledPackage p : installed) {
        InstalledPackage q = replacement.apply(p, whiteoutRoot);
        if (q.replaced() != null && q.whiteouts().isEmpty() && !base.find(q.normalizedName()).map(
            d -> d.sitePackages().equals(spec.sitePackages())).orElse(true)) {
          log.info("python: " + q.name() + " " + q.replaced() + " in the base image (" + base.find(q.normalizedName())
              .get().sitePackages() + ") shadowed by " + q.version() + " in " + spec.sitePackages() + ", ahead of it on sys.path");
        } else if (q.replaced() != null) {
          log.info("python: " + q.name() + " " + q.replaced() + " in the base image replaced by " + q.version()
              + " (" + q.whiteouts().size() + " whiteouts)");
        }
        withWhiteouts.add(q);
      }
      warnOverlaps(withWhiteouts, log);
      List<ImageLayer> layers = LayerGrouping.layers(withWhiteouts, bound);
      long bytes = 0;
      for (InstalledPackage p : withWhiteouts) {
        for (ImageFile f : p.files()) {
          bytes += Files.size(f.source());
        }
      }
      log.info("python: " + withWhiteouts.size() + " packages in " + layers.size() + " layers ("
          + (bytes / 1024) + " KiB installed, " + cache.downloads() + " downloads, "
          + String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - started) / 1e9) + ")");
      return new Result(withWhiteouts, layers, cache.downloads(), cache.downloadedBytes());
    } catch (IOException e) {
      throw new DataHubException("cannot stage Python packages in " + spec.workDir() + ": " + e.getMessage()
          + " — check that the build directory is writable");
    } finally {
      archives.values().forEach(WheelArchive::close);
    }
  }

  private static void checkMetadata(LockedRequirement r, WheelArchive a, TargetEnvironment env, PythonSpec spec) {
    WheelMetadata m = a.metadata;
    if (m.name() == null || !PackageName.normalize(m.name()).equals(r.normalizedName())
        || m.version() == null || Pep440Version.tryParse(m.version()).map(v -> !v.equals(r.pep440())).orElse(true)) {
      throw new DataHubException("wheel " + a.file.getFileName() + " says it is " + m.name() + " " + m.version()
          + ", not " + r.name() + " " + r.version() + " as locked — the wheel is mislabelled; remove it from <findLinks>");
    }
    if (m.requiresPython() != null && !m.requiresPython().isBlank()) {
      VersionSpecifier requires;
      try {
        requires = VersionSpecifier.parse(m.requiresPython());
      } catch (IllegalArgumentException unparseable) {
        return; // some old packages carry invalid Requires-Python; pip ignores those too
      }
      // With only "3.11" configured the micro version is unknown: accept when some 3.11.x satisfies it.
      boolean microKnown = spec.pythonVersion().split("\\.").length >= 3;
      Pep440Version python = Pep440Version.parse(env.markerValues().get("python_full_version"));
      Pep440Version latestMicro = Pep440Version.parse(spec.shortPythonVersion() + ".999");
      if (!requires.contains(python) && (microKnown || !requires.contains(latestMicro))) {
        throw new DataHubException(r.name() + "==" + r.version() + " requires Python " + m.requiresPython()
            + " but the image has " + spec.pythonVersion() + " — pin a version that supports it "
            + "(regenerate the lock with the image's Python), or fix <pythonVersion>");
      }
    }
  }

  private static void warnOverlaps(List<InstalledPackage> packages, StepLog log) {
    Map<String, String> owner = new HashMap<>();
    for (InstalledPackage p : packages) {
      for (ImageFile f : p.files()) {
        String previous = owner.put(f.pathInImage(), p.name());
        if (previous != null && !f.pathInImage().endsWith("/__init__.py")) {
          log.warn("python: " + f.pathInImage() + " is installed by both " + previous + " and " + p.name()
              + "; the later layer wins");
        }
      }
    }
  }

  /** Staging directories of packages no longer locked (or staged for another target) are removed. */
  private static void removeUnused(Path workDir, Set<Path> used) throws IOException {
    Files.createDirectories(workDir);
    try (var list = Files.list(workDir)) {
      for (Path p : list.toList()) {
        if (!used.contains(p)) {
          deleteRecursively(p);
        }
      }
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
