package dev.datahub.release;

import dev.datahub.output.ResultFiles;
import dev.datahub.image.ImageContents;
import dev.datahub.image.ImageContents.MappedContent;
import dev.datahub.python.Pep440Version;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changes from one bundle to another, in the terms a reviewer asks about: Python packages added, removed,
 * upgraded or downgraded, content layers that changed (and which files, when the bundles list them), the base image,
 * the chart, and which values layers changed. Pure and offline: it reads only the two bundles (the contents a deploy
 * record carries), never a cluster or a registry. No value is shown, only which layer changed; secret values are never
 * shown, not even their fingerprints.
 *
 * @param before what runs now; null when nothing is deployed yet
 * @param after what would run
 */
public record BundleDiff(ReleaseBundle before, ReleaseBundle after) {

  /** The file {@code plan} writes per hub: {@code {"against": …, "lines": […], …}}. */
  public static final String FILE_NAME = "diff.json";


  public static BundleDiff between(ReleaseBundle before, ReleaseBundle after) {
    return new BundleDiff(before, Objects.requireNonNull(after, "after"));
  }

  /**
   * What promoting would change on prod: prod's newest succeeded record against staging's, for what a promotion takes
   * from staging — image, chart, common values. Prod keeps its own environment and secret values (their digests differ
   * from staging's by design, the secret fingerprints are keyed per namespace), so those are not compared. Empty when
   * staging has no succeeded record (nothing to promote).
   */
  public static Optional<BundleDiff> ofPromotion(HubRelease staging, HubRelease prod) {
    return ofPromotion(staging.records().all(), prod.records().all());
  }

  /** {@link #ofPromotion(HubRelease, HubRelease)} from records already read (newest first). */
  public static Optional<BundleDiff> ofPromotion(List<DeploymentRecord> stagingRecords,
      List<DeploymentRecord> prodRecords) {
    Optional<ReleaseBundle> tested = latestSucceeded(stagingRecords);
    if (tested.isEmpty()) {
      return Optional.empty();
    }
    ReleaseBundle current = latestSucceeded(prodRecords).orElse(null);
    ReleaseBundle t = tested.get();
    ReleaseBundle promoted = current == null ? t : new ReleaseBundle(t.image(), t.imageDigest(), t.chartName(),
        t.chartVersion(), t.chartDigest(), t.commonValuesDigest(), current.environmentValuesDigest(),
        t.imageValuesDigest(), current.secretValuesHmac(), current.secretPaths(), t.sourceCommit(), t.contents());
    return Optional.of(between(current, promoted));
  }

  private static Optional<ReleaseBundle> latestSucceeded(List<DeploymentRecord> newestFirst) {
    return newestFirst.stream().filter(DeploymentRecord::succeeded).findFirst().map(DeploymentRecord::bundle);
  }


  /** How a package changed. */
  public enum Change { ADDED, REMOVED, UPGRADED, DOWNGRADED, CHANGED }

  /** One Python distribution that changed; {@code from}/{@code to} are null when added/removed. */
  public record PackageChange(String name, Change change, String from, String to) {
    String line() {
      return switch (change) {
        case ADDED -> "Python package added: " + name + " " + to;
        case REMOVED -> "Python package removed: " + name + " " + from;
        case UPGRADED -> "Python package upgraded: " + name + " " + from + " -> " + to;
        case DOWNGRADED -> "Python package downgraded: " + name + " " + from + " -> " + to;
        case CHANGED -> "Python package changed: " + name + " " + from + " -> " + to;
      };
    }
  }

  /**
   * One content mapping whose layer changed.
   *
   * @param target the mapping's target path
   * @param change ADDED or REMOVED (the whole mapping) or CHANGED
   * @param added files added under the target (empty when the bundles do not list files)
   * @param removed files removed
   * @param changed files whose content, mode or owner changed
   * @param filesListed false when a bundle carries only the layer digest (too many files to list)
   */
  public record ContentChange(String target, Change change, List<String> added, List<String> removed,
      List<String> changed, boolean filesListed) {
    String line() {
      if (change == Change.ADDED) {
        return "content added: " + target;
      }
      if (change == Change.REMOVED) {
        return "content removed: " + target;
      }
      if (!filesListed) {
        return "content changed: " + target + " (its layer changed; the files are not listed)";
      }
      List<String> parts = new ArrayList<>();
      if (!changed.isEmpty()) {
        parts.add("changed " + String.join(", ", changed));
      }
      if (!added.isEmpty()) {
        parts.add("added " + String.join(", ", added));
      }
      if (!removed.isEmpty()) {
        parts.add("removed " + String.join(", ", removed));
      }
      return "content changed: " + target + (parts.isEmpty() ? " (modes or owners)" : ": " + String.join("; ", parts));
    }
  }

  public boolean isEmpty() {
    return lines().isEmpty();
  }

  /** Whether the image digest differs. */
  public boolean imageChanged() {
    return before == null || !Objects.equals(before.imageDigest(), after.imageDigest());
  }

  /** The base image's digest before and after, when it changed and both bundles record it. */
  public Optional<List<String>> baseChange() {
    ImageContents was = contents(before);
    ImageContents now = contents(after);
    if (was == null || now == null || Objects.equals(was.baseDigest(), now.baseDigest())) {
      return Optional.empty();
    }
    return Optional.of(List.of(base(was), base(now)));
  }

  /** Package changes, by name; empty when a bundle does not record its packages ({@link #contentsRecorded}). */
  public List<PackageChange> packages() {
    ImageContents was = contents(before);
    ImageContents now = contents(after);
    if (now == null || before != null && was == null) {
      return List.of();
    }
    SortedMap<String, String> old = was == null ? new TreeMap<>() : was.packages();
    TreeSet<String> names = new TreeSet<>(old.keySet());
    names.addAll(now.packages().keySet());
    List<PackageChange> changes = new ArrayList<>();
    for (String name : names) {
      String from = old.get(name);
      String to = now.packages().get(name);
      if (from == null) {
        changes.add(new PackageChange(name, Change.ADDED, null, to));
      } else if (to == null) {
        changes.add(new PackageChange(name, Change.REMOVED, from, null));
      } else if (!from.equals(to)) {
        Optional<Pep440Version> a = Pep440Version.tryParse(from);
        Optional<Pep440Version> b = Pep440Version.tryParse(to);
        Change kind = a.isEmpty() || b.isEmpty() ? Change.CHANGED
            : a.get().compareTo(b.get()) < 0 ? Change.UPGRADED : a.get().compareTo(b.get()) > 0 ? Change.DOWNGRADED
                : Change.CHANGED;
        changes.add(new PackageChange(name, kind, from, to));
      }
    }
    return changes;
  }

  /** Content mappings whose layer changed, by target, in the after-bundle's order, removed ones last. */
  public List<ContentChange> content() {
    ImageContents was = contents(before);
    ImageContents now = contents(after);
    if (now == null || before != null && was == null) {
      return List.of();
    }
    Map<String, MappedContent> old = new LinkedHashMap<>();
    if (was != null) {
      was.mappings().forEach(m -> old.put(m.target(), m));
    }
    List<ContentChange> changes = new ArrayList<>();
    for (MappedContent m : now.mappings()) {
      MappedContent o = old.remove(m.target());
      if (o == null) {
        changes.add(new ContentChange(m.target(), Change.ADDED, List.of(), List.of(), List.of(), false));
      } else if (!o.digest().equals(m.digest())) {
        changes.add(files(o, m));
      }
    }
    old.values().forEach(o -> changes.add(new ContentChange(o.target(), Change.REMOVED, List.of(), List.of(), List.of(),
        false)));
    return changes;
  }

  private static ContentChange files(MappedContent o, MappedContent m) {
    if (o.files() == null || m.files() == null) {
      return new ContentChange(m.target(), Change.CHANGED, List.of(), List.of(), List.of(), false);
    }
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(o.files().keySet());
    paths.addAll(m.files().keySet());
    for (String path : paths) {
      String a = o.files().get(path);
      String b = m.files().get(path);
      if (a == null) {
        added.add(path);
      } else if (b == null) {
        removed.add(path);
      } else if (!a.equals(b)) {
        changed.add(path);
      }
    }
    return new ContentChange(m.target(), Change.CHANGED, added, removed, changed, true);
  }

  /** False when the image changed but a bundle does not say what it holds (a record older than image contents). */
  public boolean contentsRecorded() {
    return contents(after) != null && (before == null || contents(before) != null);
  }

  /** The values layers that changed: {@code common values}, {@code environment values}, {@code secret values}. */
  public List<String> valuesChanged() {
    List<String> changed = new ArrayList<>();
    if (before == null) {
      return changed;
    }
    if (!Objects.equals(before.commonValuesDigest(), after.commonValuesDigest())) {
      changed.add("common values");
    }
    if (!Objects.equals(before.environmentValuesDigest(), after.environmentValuesDigest())) {
      changed.add("environment values");
    }
    if (!imageChanged() && !Objects.equals(before.imageValuesDigest(), after.imageValuesDigest())) {
      changed.add("image values");
    }
    if (!Objects.equals(before.secretValuesHmac(), after.secretValuesHmac())
        || !Objects.equals(before.secretPaths(), after.secretPaths())) {
      changed.add("secret values");
    }
    return changed;
  }

  /** One human-readable line per change; empty when nothing changed. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    ImageContents now = contents(after);
    if (before == null) {
      lines.add("nothing deployed yet: " + after.image() + " with chart " + after.chart()
          + (now == null ? "" : ", " + now.packages().size() + " Python packages, " + now.mappings().size()
              + " content layers"));
      return lines;
    }
    if (imageChanged()) {
      lines.add("image " + shortDigest(before.imageDigest()) + " -> " + shortDigest(after.imageDigest()));
      baseChange().ifPresent(b -> lines.add("base image " + b.get(0) + " -> " + b.get(1)));
      packages().forEach(p -> lines.add(p.line()));
      content().forEach(c -> lines.add(c.line()));
      if (!contentsRecorded()) {
        lines.add("packages and content not compared: the " + (contents(after) == null ? "new" : "current")
            + " bundle does not record what its image holds (built or deployed before the plugin recorded it)");
      }
    } else if (!Objects.equals(before.image(), after.image())) {
      lines.add("image reference " + before.image() + " -> " + after.image() + " (same digest)");
    }
    if (!Objects.equals(before.chartName(), after.chartName())
        || !Objects.equals(before.chartVersion(), after.chartVersion())) {
      lines.add("chart " + before.chart() + " -> " + after.chart());
    } else if (!Objects.equals(before.chartDigest(), after.chartDigest())) {
      lines.add("chart " + after.chart() + " content changed (" + ReleaseBundle.shortHash(before.chartDigest()) + " -> "
          + ReleaseBundle.shortHash(after.chartDigest()) + ")");
    }
    for (String layer : valuesChanged()) {
      lines.add(layer.equals("secret values") ? "secret values changed (not shown)"
          : layer + " changed (" + ReleaseBundle.shortHash(digestOf(before, layer)) + " -> "
              + ReleaseBundle.shortHash(digestOf(after, layer)) + ")");
    }
    return lines;
  }

  /**
   * Writes {@value #FILE_NAME} into {@code dir}: {@code against} (what was compared with), {@code lines}, and the
   * structured changes. Holds no value and no secret.
   */
  public void writeTo(Path dir, String against) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("against", against);
    json.put("image", after.image());
    json.put("lines", lines());
    json.put("packages", packages());
    json.put("content", content());
    json.put("values", valuesChanged());
    ResultFiles.writeJson(dir.resolve(FILE_NAME), json);
  }

  private static String digestOf(ReleaseBundle bundle, String layer) {
    return switch (layer) {
      case "common values" -> bundle.commonValuesDigest();
      case "environment values" -> bundle.environmentValuesDigest();
      default -> bundle.imageValuesDigest();
    };
  }

  private static ImageContents contents(ReleaseBundle bundle) {
    return bundle == null ? null : bundle.contents();
  }

  private static String base(ImageContents contents) {
    String name = contents.base() == null ? "?" : contents.base().replaceFirst("@sha256:[0-9a-f]+$", "");
    return name.equals(contents.baseDigest()) ? name : name + "@" + shortDigest(contents.baseDigest());
  }

  private static String shortDigest(String digest) {
    if (digest == null) {
      return "none";
    }
    return digest.startsWith("sha256:") && digest.length() > 19 ? digest.substring(0, 19) : digest;
  }
}
