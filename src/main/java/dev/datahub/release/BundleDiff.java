package dev.datahub.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What changes between two release bundles, one line per change, for people: image digest, chart (name, version,
 * content), the digest of each values layer, and whether the secret values changed — never a secret value nor its
 * fingerprint.
 */
public final class BundleDiff {

  private final List<String> lines;

  private BundleDiff(List<String> lines) {
    this.lines = List.copyOf(lines);
  }

  /** The changes from {@code before} (null: nothing ran before) to {@code after}. */
  public static BundleDiff between(ReleaseBundle before, ReleaseBundle after) {
    List<String> lines = new ArrayList<>();
    if (after == null) {
      return new BundleDiff(lines);
    }
    if (before == null) {
      lines.add("first release: image " + after.imageDigest() + ", chart " + after.chartName() + " "
          + after.chartVersion());
      return new BundleDiff(lines);
    }
    if (!Objects.equals(before.imageDigest(), after.imageDigest())) {
      lines.add("image " + before.imageDigest() + " -> " + after.imageDigest());
    }
    if (!Objects.equals(before.chartName(), after.chartName())
        || !Objects.equals(before.chartVersion(), after.chartVersion())) {
      lines.add("chart " + before.chartName() + " " + before.chartVersion() + " -> " + after.chartName() + " "
          + after.chartVersion());
    } else if (!Objects.equals(before.chartDigest(), after.chartDigest())) {
      lines.add("chart content of " + after.chartName() + " " + after.chartVersion() + " changed ("
          + ReleaseBundle.shortHash(before.chartDigest()) + " -> " + ReleaseBundle.shortHash(after.chartDigest()) + ")");
    }
    layer(lines, "common values", before.commonValuesDigest(), after.commonValuesDigest());
    layer(lines, "environment values", before.environmentValuesDigest(), after.environmentValuesDigest());
    if (!Objects.equals(before.secretValuesHmac(), after.secretValuesHmac())) {
      lines.add("secret values changed"); // neither the values nor their fingerprint
    }
    return new BundleDiff(lines);
  }

  private static void layer(List<String> lines, String name, String before, String after) {
    if (!Objects.equals(before, after)) {
      lines.add(name + " changed (" + ReleaseBundle.shortHash(before) + " -> " + ReleaseBundle.shortHash(after) + ")");
    }
  }

  /** One line per change; empty when nothing changed. */
  public List<String> lines() {
    return lines;
  }

  public boolean isEmpty() {
    return lines.isEmpty();
  }

  @Override
  public String toString() {
    return String.join("\n", lines);
  }
}
