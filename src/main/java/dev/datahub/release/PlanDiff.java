package dev.datahub.release;

import dev.datahub.DataHubException;
import dev.datahub.image.BuiltImage;
import dev.datahub.image.DeployedTag;
import dev.datahub.log.StepLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code plan} compares the planned bundle with, and the {@link BundleDiff} it writes: with a cluster, the record
 * the environment runs (image contents, chart and values); without one, the image the deploy tagged
 * {@code datahub-<environment>} in the registry (image contents only: chart and values need the record).
 */
public final class PlanDiff {

  private PlanDiff() {}

  /**
   * What {@code plan} compares with.
   *
   * @param environment the planned environment
   * @param reference an image reference to compare with; null: {@code <repository>:datahub-<environment>}, or the
   *     environment's record when {@code live} is given
   * @param live the environment's release when plan may read the cluster, else null
   */
  public record Against(String environment, String reference, HubRelease live, DeployedTag registry) {}

  /**
   * Writes {@code diff.json} into {@code dir} and prints the diff: the planned image against what the environment
   * runs. A stale {@code diff.json} is removed first; nothing is written when there is nothing to compare with (no
   * planned image, no tag yet) — one line says why, never a failure: the plan itself stands.
   */
  public static void write(Path dir, Against against, ImageRef planned, ChartSource chart, ComposedValues values,
      StepLog log) {
    Path file = dir.resolve(BundleDiff.FILE_NAME);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new DataHubException("cannot remove the stale " + file + ": " + e.getMessage() + " — check the build "
          + "directory");
    }
    if (planned == null) {
      return;
    }
    boolean explicit = against.reference() != null && !against.reference().isBlank();
    String reference = explicit ? against.reference().trim()
        : DeployedTag.reference(planned.repository(), against.environment());
    Optional<Comparison> comparison;
    try {
      comparison = against.live() != null && !explicit
          ? Optional.of(againstRecord(against.live(), planned, chart, values))
          : againstImage(against.registry(), reference, planned);
    } catch (DataHubException e) {
      log.warn("No package diff: " + e.getMessage());
      return;
    }
    if (comparison.isEmpty()) {
      log.info("No package diff: " + reference + " does not exist yet (deploy-staging and promote tag what they deploy)");
      return;
    }
    BundleDiff diff = comparison.get().diff();
    diff.writeTo(dir, comparison.get().against());
    log.info("Against " + comparison.get().against() + ":" + (diff.isEmpty() ? " no change" : ""));
    diff.lines().forEach(line -> log.info("  " + line));
  }

  /**
   * The image of this build as {@code image.json} in {@code dir} describes it, pushed or only written to a tarball (a
   * pull request's build often pushes nothing: its contents compare all the same); empty without {@code image.json}.
   */
  public static Optional<ImageRef> builtImage(Path dir) {
    if (!Files.isRegularFile(dir.resolve(BuiltImage.FILE_NAME))) {
      return Optional.empty();
    }
    BuiltImage built = BuiltImage.readFrom(dir);
    return Optional.of(new ImageRef(built.repository(), built.hashTag() != null ? built.hashTag() : ImageRef.DEFAULT_TAG,
        built.digest(), built.contents()));
  }

  /** @param against what was compared with, in words; written as {@code against} into {@code diff.json} */
  public record Comparison(String against, BundleDiff diff) {}

  /** The bundle a deploy of {@code image} would record, with the secret fingerprint given (it needs the key). */
  static ReleaseBundle planned(ImageRef image, ChartSource chart, ComposedValues values, String secretHmac) {
    return new ReleaseBundle(image.fullReference(), image.digest(), chart.name(), chart.version(), chart.digest(),
        values.commonValuesDigest(), values.environmentValuesDigest(), values.imageValuesDigest(), secretHmac,
        java.util.List.copyOf(new java.util.TreeSet<>(values.secretPaths())), null, image.contents());
  }

  /**
   * Against the newest succeeded (and signed) record of the environment. Read-only: the secret values are compared
   * only when the namespace's key exists already.
   */
  public static Comparison againstRecord(HubRelease live, ImageRef image, ChartSource chart, ComposedValues values) {
    DeploymentRecords records = live.records();
    Optional<DeploymentRecord> current = records.all().stream()
        .filter(r -> r.succeeded() && r.bundle() != null && records.verified(r)).findFirst();
    String env = live.environment().name();
    if (current.isEmpty()) {
      return new Comparison(env + ": no succeeded deployment record",
          BundleDiff.between(null, planned(image, chart, values, ComposedValues.NONE)));
    }
    ReleaseBundle was = current.get().bundle();
    String secretHmac = records.existingKey().map(values::secretHmac).orElse(was.secretValuesHmac());
    return new Comparison(env + " record " + current.get().id() + " (" + was.image() + ")",
        BundleDiff.between(was, planned(image, chart, values, secretHmac)));
  }

  /**
   * Against the image the registry tags {@code datahub-<environment>} (or any reference): image, base, packages and
   * content. Chart and values are not compared (the image does not carry them); empty when the reference names nothing.
   */
  public static Optional<Comparison> againstImage(DeployedTag registry, String reference, ImageRef image) {
    return registry.read(reference).map(tagged -> {
      ReleaseBundle now = new ReleaseBundle(image.fullReference(), image.digest(), null, null, null, null, null, null,
          null, java.util.List.of(), null, image.contents());
      String shown = tagged.digest().equals(image.digest()) ? image.fullReference()
          : tagged.reference() + "@" + tagged.digest();
      ReleaseBundle was = new ReleaseBundle(shown, tagged.digest(), null, null,
          null, null, null, null, null, java.util.List.of(), null, tagged.contents().orElse(null));
      return new Comparison(tagged.reference() + " (" + tagged.digest() + ")", BundleDiff.between(was, now));
    });
  }
}
