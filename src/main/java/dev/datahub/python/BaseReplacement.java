package dev.datahub.python;

import dev.datahub.DataHubException;
import dev.datahub.image.ImageLayer.ImageFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replacing a package the base image already has: the new layer carries OCI whiteouts for every
 * file of the old version that the new version does not overwrite, so nothing of the old version
 * stays importable. A directory the old version owned alone (no other distribution has files in it,
 * no new package writes into it) is hidden with one directory whiteout; elsewhere each file is
 * hidden. A whiteout never names a path that any Python layer writes, so layer order cannot make a
 * whiteout delete new content. A base distribution without RECORD cannot be replaced this way and is
 * refused — unless it lives in a site-packages directory later on {@code sys.path} than the target
 * (Debian's {@code /usr/lib/python3/dist-packages}): then the new version shadows it, as pip's does.
 */
final class BaseReplacement {

  private final PythonSpec spec;
  private final BaseImageFiles base;
  private final Set<String> newPaths = new HashSet<>();
  private final Set<String> newDirs = new HashSet<>();

  BaseReplacement(PythonSpec spec, BaseImageFiles base, List<InstalledPackage> installed) {
    this.spec = spec;
    this.base = base;
    for (InstalledPackage p : installed) {
      for (ImageFile f : p.files()) {
        newPaths.add(f.pathInImage());
        addAncestors(f.pathInImage(), newDirs);
      }
    }
  }

  /** The package with whiteouts added when the base image has another installation of it. */
  InstalledPackage apply(InstalledPackage pkg, Path stageRoot) {
    var old = base.find(pkg.normalizedName());
    if (old.isEmpty()) {
      return pkg;
    }
    InstalledDistribution dist = old.get();
    if (!dist.sitePackages().equals(spec.sitePackages())) {
      // installed in a directory that comes later on sys.path (e.g. Debian's /usr/lib/python3/dist-packages):
      // the new version, ahead of it, is the one Python imports and importlib.metadata reports, as with pip
      return pkg.withWhiteouts(List.of(), dist.version());
    }
    if (!dist.hasRecord()) {
      throw new DataHubException("the base image has " + dist.name() + " " + dist.version() + " without a RECORD file ("
          + dist.distInfoPath() + "), so its files cannot be removed cleanly to install " + pkg.version()
          + " — add " + pkg.normalizedName() + " to <providedByBase> and remove it from the lock, or use a base image "
          + "that has the version you need");
    }
    Set<String> otherDirs = new HashSet<>();
    for (InstalledDistribution other : base.distributions()) {
      if (!other.distInfoPath().equals(dist.distInfoPath())) {
        other.files().forEach(f -> addAncestors(f, otherDirs));
      }
    }
    String sp = dist.sitePackages();
    TreeSet<String> oldFiles = new TreeSet<>(dist.files());
    if (dist.distInfoPath().endsWith(".dist-info")) {
      oldFiles.add(dist.distInfoPath() + "/RECORD");
      oldFiles.add(dist.distInfoPath() + "/METADATA");
    } else {
      oldFiles.add(dist.distInfoPath()); // an .egg-info directory (or file) goes as a whole
    }
    TreeSet<String> dirWhiteouts = new TreeSet<>();
    TreeSet<String> fileWhiteouts = new TreeSet<>();
    for (String f : oldFiles) {
      if (newPaths.contains(f) || newDirs.contains(f)) {
        continue; // overwritten by the new version (or another new package)
      }
      String ownedDir = null;
      if (f.startsWith(sp + "/")) {
        String[] segs = f.substring(sp.length() + 1).split("/");
        String dir = sp;
        for (int i = 0; i < segs.length - 1; i++) {
          dir = dir + "/" + segs[i];
          if (!newDirs.contains(dir) && !otherDirs.contains(dir) && !newPaths.contains(dir)) {
            ownedDir = dir;
            break;
          }
        }
      }
      if (ownedDir != null) {
        dirWhiteouts.add(ownedDir);
      } else {
        fileWhiteouts.add(f);
      }
    }
    List<String> hidden = new ArrayList<>();
    for (String d : dirWhiteouts) {
      if (hidden.stream().noneMatch(h -> d.startsWith(h + "/"))) {
        hidden.add(d);
      }
    }
    for (String f : fileWhiteouts) {
      if (hidden.stream().noneMatch(h -> f.startsWith(h + "/"))) {
        hidden.add(f);
      }
    }
    List<ImageFile> whiteouts = new ArrayList<>();
    try {
      for (String h : new TreeSet<>(hidden)) {
        int slash = h.lastIndexOf('/');
        String wh = h.substring(0, slash) + "/.wh." + h.substring(slash + 1);
        Path staged = stageRoot.resolve(wh.substring(1));
        if (!Files.isRegularFile(staged)) { // left untouched when present: a stable timestamp keeps layer caches valid
          Files.createDirectories(staged.getParent());
          Files.write(staged, new byte[0]);
        }
        whiteouts.add(new ImageFile(staged, wh, 0644));
      }
    } catch (IOException e) {
      throw new DataHubException("cannot stage whiteouts in " + stageRoot + ": " + e.getMessage()
          + " — check that the build directory is writable");
    }
    return pkg.withWhiteouts(whiteouts, dist.version());
  }

  private static void addAncestors(String path, Set<String> into) {
    for (int i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      if (!into.add(path.substring(0, i))) {
        break;
      }
    }
  }
}
