package dev.datahub.python;

import dev.datahub.image.ImageLayer;
import dev.datahub.image.ImageLayer.ImageFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One layer per package, ordered by normalized name, so adding a package adds one layer and leaves
 * every other layer's bytes (and digest) unchanged. Past the bound, packages go into a fixed number of
 * buckets chosen by a hash of their name: adding a package then changes only its bucket's layer.
 */
final class LayerGrouping {

  private LayerGrouping() {}

  static List<ImageLayer> layers(List<InstalledPackage> packages, int bound) {
    List<InstalledPackage> sorted = new ArrayList<>(packages);
    sorted.sort((a, b) -> a.normalizedName().compareTo(b.normalizedName()));
    List<ImageLayer> out = new ArrayList<>();
    if (sorted.size() <= bound) {
      for (InstalledPackage p : sorted) {
        out.add(new ImageLayer(layerName(p), p.layerFiles()));
      }
      return out;
    }
    Map<Integer, List<InstalledPackage>> buckets = new TreeMap<>();
    for (InstalledPackage p : sorted) {
      buckets.computeIfAbsent(bucket(p.normalizedName(), bound), k -> new ArrayList<>()).add(p);
    }
    for (var e : buckets.entrySet()) {
      List<InstalledPackage> group = e.getValue();
      if (group.size() == 1) {
        out.add(new ImageLayer(layerName(group.get(0)), group.get(0).layerFiles()));
        continue;
      }
      // Whiteouts of every package first, then all files by path; a later package (by name) wins a shared path.
      TreeMap<String, ImageFile> whiteouts = new TreeMap<>();
      TreeMap<String, ImageFile> files = new TreeMap<>();
      for (InstalledPackage p : group) {
        p.whiteouts().forEach(w -> whiteouts.put(w.pathInImage(), w));
        p.files().forEach(f -> files.put(f.pathInImage(), f));
      }
      whiteouts.keySet().removeAll(files.keySet());
      List<ImageFile> all = new ArrayList<>(whiteouts.values());
      all.addAll(files.values());
      String names = String.join(", ", group.stream().map(p -> p.name() + " " + p.version()).toList());
      out.add(new ImageLayer("python: group " + (e.getKey() + 1) + "/" + bound + " (" + names + ")", all));
    }
    return out;
  }

  static String layerName(InstalledPackage p) {
    return "python: " + p.name() + " " + p.version();
  }

  /** A stable bucket in [0, bound): the first four bytes of sha256(name). */
  static int bucket(String normalizedName, int bound) {
    byte[] d = WheelCache.sha256().digest(normalizedName.getBytes(StandardCharsets.UTF_8));
    int v = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
    return Math.floorMod(v, bound);
  }
}
