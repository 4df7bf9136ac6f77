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

  /** Distributions ({@code *.dist-info}) in the target site-packages of the base image. */
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
    String prefix = sitePackages.endsWith("/") ? sitePackages : sitePackages + "/";
    Map<String, String[]> byDir = new TreeMap<>();
    for (Map.Entry<String, String> e : files.entrySet()) {
      String path = e.getKey();
      if (!path.startsWith(prefix)) {
        continue;
      }
      String rest = path.substring(prefix.length());
      String[] parts = rest.split("/");
      if (parts.length != 2 || !parts[0].endsWith(".dist-info")) {
        continue;
      }
      String[] texts = byDir.computeIfAbsent(prefix + parts[0], k -> new String[2]);
      if (parts[1].equals("METADATA")) {
        texts[0] = e.getValue();
      } else if (parts[1].equals("RECORD")) {
        texts[1] = e.getValue();
      }
    }
    List<InstalledDistribution> out = new ArrayList<>();
    String sp = prefix.substring(0, prefix.length() - 1);
    byDir.forEach((dir, texts) -> {
      if (texts[0] != null) {
        out.add(InstalledDistribution.fromDistInfo(sp, dir, texts[0], texts[1]));
      }
    });
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
