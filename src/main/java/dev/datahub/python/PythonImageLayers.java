package dev.datahub.python;

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
    BaseImageLayers.Contents contents;
    BaseImageFiles base;
    PythonSpec spec = python;
    if (SingleUserImage.SCRATCH.equals(image.from())) {
      contents = new BaseImageLayers.Contents(Map.of(), Map.of());
      base = BaseImageFiles.fromDistInfoFiles(spec.sitePackages(), image.content().size(), Map.of());
    } else {
      log.info("Reading the Python of base image " + image.from() + " (cached per base digest)");
      int baseLayers;
      try (BaseImageLayers layers = BaseImageLayers.open(image.from(), image.allowInsecureRegistries(), credentials,
          image.cacheDirectory())) {
        baseLayers = layers.layerCount();
        BasePython.Query query = BasePython.query(python);
        contents = layers.scan(query.cacheKey(), query.files(), BaseImageLayers.ALL_DIRECTORIES, query.entries(),
            BasePython::keep);
      }
      BasePython found = BasePython.detect(contents, python, image.from());
      if (!contents.entries().containsKey(found.executable())) {
        log.warn("python: base image " + image.from() + " has " + found.siteDirs().get(0) + " but no "
            + found.executable() + "; scripts will name it all the same");
      }
      spec = found.applyTo(python, contents, image.from());
      log.info("python: base image has " + found.describe() + "; installing into " + spec.sitePackages()
          + " for " + String.join(", ", spec.platforms()));
      base = BaseImageFiles.fromSitePackages(found.siteDirsWithTarget(spec.sitePackages()),
          baseLayers + image.content().size(), contents.files());
    }
    BaseImageLayers.Directory siteDir = contents.directories().get(spec.sitePackages());
    String owner = siteDir == null ? "0:0" : siteDir.owner();
    List<ImageLayer> result = new ArrayList<>();
    for (ImageLayer layer : new PythonPackages().layers(spec, base, log)) {
      result.add(withDirectories(layer, owner, contents.directories(), spec.workDir()));
    }
    return result;
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
