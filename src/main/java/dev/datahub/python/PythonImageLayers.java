package dev.datahub.python;

import dev.datahub.DataHubException;
import dev.datahub.image.BaseImageLayers;
import dev.datahub.image.ImageLayer;
import dev.datahub.image.ImageLayer.ImageFile;
import dev.datahub.image.ImageSpec;
import dev.datahub.image.RegistryCredential;
import dev.datahub.image.SingleUserImage;
import dev.datahub.log.StepLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Python packages as layers that fit the real base image: the base's Python ({@link BasePython}:
 * interpreter, version, site-packages, glibc) and distributions are read from its layers (so
 * packages go where its interpreter looks, and a package it has in another version is replaced
 * cleanly), files are owned by
 * whoever owns the base's site-packages (jovyan in docker-stacks, so {@code %pip} keeps working),
 * and every directory a Python layer touches carries the base's own mode and owner instead of the
 * root:root 0755 an image builder would otherwise write over it.
 */
public final class PythonImageLayers {

  private PythonImageLayers() {}

  public static List<ImageLayer> forImage(ImageSpec image, PythonSpec python, RegistryCredential.Lookup credentials,
      StepLog log) {
    return layersAndPackages(image, python, credentials, log).layers();
  }

  /**
   * The Python layers and what the image's Python will see: the base's distributions with the installed ones over them.
   *
   * @param packages normalized name → version
   * @param installed the names the build installs
   * @param baseDigest the base's digest as {@code from} names it; {@code scratch} for none
   */
  public record Result(List<ImageLayer> layers, SortedMap<String, String> packages, List<String> installed,
      String baseDigest) {}

  /** {@link #forImage} with the package list; {@code python} null: no layers, only what the base provides. */
  public static Result layersAndPackages(ImageSpec image, PythonSpec python, RegistryCredential.Lookup credentials,
      StepLog log) {
    BaseImageLayers.Contents contents;
    BaseImageFiles base;
    PythonSpec spec = python != null ? python : PythonSpec.of(Path.of("requirements.lock"), null, null);
    String baseDigest = SingleUserImage.SCRATCH;
    if (SingleUserImage.SCRATCH.equals(image.from())) {
      contents = new BaseImageLayers.Contents(Map.of(), Map.of());
      base = BaseImageFiles.fromDistInfoFiles(spec.sitePackages(), image.content().size(), Map.of());
    } else {
      log.info("Reading the Python of base image " + image.from() + " (cached per base digest)");
      int baseLayers;
      try (BaseImageLayers layers = BaseImageLayers.open(image.from(), image.allowInsecureRegistries(), credentials,
          image.cacheDirectory())) {
        baseLayers = layers.layerCount();
        baseDigest = layers.digest();
        BasePython.Query query = BasePython.query(spec);
        contents = layers.scan(query.cacheKey(), query.files(), BaseImageLayers.ALL_DIRECTORIES, query.entries(),
            BasePython::keep);
      }
      BasePython found;
      try {
        found = BasePython.detect(contents, spec, image.from());
      } catch (DataHubException noPython) {
        if (python != null) {
          throw noPython;
        }
        return new Result(List.of(), new TreeMap<>(), List.of(), baseDigest); // a base without Python has no packages
      }
      if (python != null && !contents.entries().containsKey(found.executable())) {
        log.warn("python: base image " + image.from() + " has " + found.siteDirs().get(0) + " but no "
            + found.executable() + "; scripts will name it all the same");
      }
      spec = found.applyTo(spec, contents, image.from());
      if (python != null) {
        log.info("python: base image has " + found.describe() + "; installing into " + spec.sitePackages()
            + " for " + String.join(", ", spec.platforms()));
      }
      base = BaseImageFiles.fromSitePackages(found.siteDirsWithTarget(spec.sitePackages()),
          baseLayers + image.content().size(), contents.files());
    }
    SortedMap<String, String> packages = new TreeMap<>();
    base.distributions().forEach(d -> packages.putIfAbsent(d.normalizedName(), d.version()));
    if (python == null) {
      return new Result(List.of(), packages, List.of(), baseDigest);
    }
    BaseImageLayers.Directory siteDir = contents.directories().get(spec.sitePackages());
    String owner = siteDir == null ? "0:0" : siteDir.owner();
    PythonPackages.Result installed = new PythonPackages().install(spec, base, log);
    List<ImageLayer> result = new ArrayList<>();
    for (ImageLayer layer : installed.layers()) {
      result.add(withDirectories(layer, owner, contents.directories(), spec.workDir()));
    }
    List<String> names = new ArrayList<>();
    for (InstalledPackage p : installed.packages()) {
      packages.put(p.normalizedName(), p.version());
      names.add(p.normalizedName());
    }
    return new Result(result, packages, names, baseDigest);
  }

  /** Adds an entry for every ancestor directory of the layer's files: the base's attributes, or new ones. */
  private static ImageLayer withDirectories(ImageLayer layer, String owner, Map<String, BaseImageLayers.Directory> baseDirs,
      Path anyDirectory) {
    Map<String, ImageFile> directories = new TreeMap<>();
    for (ImageFile file : layer.files()) {
      for (String dir = parent(file.pathInImage()); !dir.equals("/"); dir = parent(dir)) {
        if (directories.containsKey(dir)) {
          break;
        }
        BaseImageLayers.Directory existing = baseDirs.get(dir);
        directories.put(dir, existing != null
            ? new ImageFile(anyDirectory, dir, existing.mode(), existing.owner())
            : new ImageFile(anyDirectory, dir, 0755, owner));
      }
    }
    List<ImageFile> files = new ArrayList<>(directories.values());
    files.addAll(layer.files());
    return new ImageLayer(layer.name(), files, owner);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
