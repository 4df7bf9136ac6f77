package dev.datahub.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the base image already has, as far as Python packages are concerned. The image step
 * implements it from the base image's layers (the merged view: upper layers win, whiteouts remove);
 * tests use {@link #of}. Used to replace a base package cleanly (whiteouts for the old version's
 * files) and to stay under the image's layer limit.
 */
public interface BaseImageFiles {

  /**
   * Distributions ({@code *.dist-info} and {@code *.egg-info}) in the base image's site-packages
   * directories, in {@code sys.path} order (the first of a name is the one Python sees).
   */
  List<InstalledDistribution> distributions();

  /**
   * Layers the image holds besides the Python layers: the base image's layers plus any other layer
   * the build adds. Python layers are bounded so that the total stays under 127.
   */
  int layerCount();

  default Optional<InstalledDistribution> find(String normalizedName) {
    return distributions().stream().filter(d -> d.normalizedName().equals(normalizedName)).findFirst();
  }

  /** No base packages and no base layers (e.g. a scratch base, or tests). */
  static BaseImageFiles none() {
    return of(0, List.of());
  }

  static BaseImageFiles of(int layerCount, List<InstalledDistribution> distributions) {
    List<InstalledDistribution> copy = List.copyOf(distributions);
    return new BaseImageFiles() {
      @Override
      public List<InstalledDistribution> distributions() {
        return copy;
      }

      @Override
      public int layerCount() {
        return layerCount;
      }
    };
  }

  /**
   * Builds the view from the base image's dist-info files: {@code files} maps absolute paths in the
   * image to their text, and needs only {@code <sitePackages>/*.dist-info/METADATA} and {@code RECORD}
   * (anything else is ignored). This is what the image step extracts from the base layers.
   */
  static BaseImageFiles fromDistInfoFiles(String sitePackages, int layerCount, Map<String, String> files) {
    return fromSitePackages(List.of(sitePackages), layerCount, files);
  }

  /**
   * Builds the view from the metadata files of several site-packages directories, in {@code sys.path}
   * order: {@code files} maps absolute paths to their text and needs {@code <dir>/*.dist-info/METADATA}
   * and {@code RECORD}, {@code <dir>/*.egg-info/PKG-INFO} and {@code installed-files.txt}, and
   * single-file {@code <dir>/*.egg-info} (anything else is ignored). A name seen in an earlier
   * directory hides the same name in a later one, as on {@code sys.path}.
   */
  static BaseImageFiles fromSitePackages(List<String> siteDirs, int layerCount, Map<String, String> files) {
    List<InstalledDistribution> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String siteDir : siteDirs) {
      String prefix = siteDir.endsWith("/") ? siteDir : siteDir + "/";
      Map<String, String[]> byDir = new TreeMap<>();
      for (Map.Entry<String, String> e : files.entrySet()) {
        String path = e.getKey();
        if (!path.startsWith(prefix)) {
          continue;
        }
        String[] parts = path.substring(prefix.length()).split("/");
        if (parts.length == 1 && parts[0].endsWith(".egg-info")) {
          byDir.computeIfAbsent(prefix + parts[0], k -> new String[2])[0] = e.getValue();
        } else if (parts.length == 2 && (parts[0].endsWith(".dist-info") || parts[0].endsWith(".egg-info"))) {
          String[] texts = byDir.computeIfAbsent(prefix + parts[0], k -> new String[2]);
          switch (parts[1]) {
            case "METADATA", "PKG-INFO" -> texts[0] = e.getValue();
            case "RECORD", "installed-files.txt" -> texts[1] = e.getValue();
            default -> { }
          }
        }
      }
      String sp = prefix.substring(0, prefix.length() - 1);
      byDir.forEach((dir, texts) -> {
        if (texts[0] == null) {
          return;
        }
        InstalledDistribution d = dir.endsWith(".dist-info") ? InstalledDistribution.fromDistInfo(sp, dir, texts[0], texts[1])
            : InstalledDistribution.fromEggInfo(dir, texts[0], texts[1]);
        if (seen.add(d.normalizedName())) {
          out.add(d);
        }
      });
    }
    return of(layerCount, out);
  }

  /**
   * Builds the view from the base image's layer tarballs (gzip or plain tar, bottom layer first),
   * e.g. the blobs Jib caches for the base image. Whiteouts and opaque directories are honoured.
   *
   * @param otherLayers layers the build adds besides the base's and the Python layers (counted
   *     toward the 127-layer limit)
   */
  static BaseImageFiles fromLayers(String sitePackages, List<java.nio.file.Path> layerTarballs, int otherLayers) {
    return fromDistInfoFiles(sitePackages, layerTarballs.size() + otherLayers,
        LayerTarballs.distInfoFiles(sitePackages, layerTarballs));
  }
}
