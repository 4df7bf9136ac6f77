package dev.datahub.release;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.Wording;
import dev.datahub.Words;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What {@code status} shows for one environment: the live Helm release and the last deployment record. */
public record EnvironmentStatus(
    String environment,
    Integer revision,
    String state,
    String image,
    String chart,
    DeploymentRecord lastRecord) {

  /** Reads the environment's release and records; a cluster that refuses or fails the reads is a DataHubException. */
  public static EnvironmentStatus of(HubRelease release) {
    Optional<StoredRelease> latest;
    Optional<DeploymentRecord> record;
    try {
      latest = release.store().latest();
      record = release.records().latest();
    } catch (KubernetesClientException e) {
      EnvironmentSpec env = release.environment();
      throw new DataHubException("cannot read the release " + env.release() + " in namespace " + env.namespace()
          + " of context " + env.kubeContext() + ": " + e.getMessage() + " — check the context's access to the namespace");
    }
    return new EnvironmentStatus(release.environment().name(), latest.map(StoredRelease::revision).orElse(null),
        latest.map(StoredRelease::status).orElse("not installed"), latest.map(release::imageOf).orElse(null),
        latest.map(StoredRelease::chart).orElse(null), record.orElse(null));
  }

  public String imageDigest() {
    return dev.datahub.image.Digest.in(image);
  }

  /** {@link #lines(Wording)} in the core's own words. */
  public List<String> lines() {
    return lines(Wording.NEUTRAL);
  }

  /** The status as printed, its settings in {@code wording}'s words. */
  public List<String> lines(Wording wording) {
    List<String> lines = new ArrayList<>();
    lines.add(environment + ": release revision " + (revision == null ? "-" : revision) + " " + state
        + (state != null && state.startsWith("pending-")
            ? Words.of(" (STUCK: run with {})", Fix.property("datahub.recover", "true")).in(wording) : ""));
    lines.add("  image: " + (image == null ? "-" : image));
    lines.add("  chart: " + (chart == null ? "-" : chart));
    if (lastRecord == null) {
      lines.add("  last deploy: none recorded");
    } else {
      lines.add("  last deploy: " + lastRecord.kind().text() + " " + lastRecord.result().text() + " at " + lastRecord.time()
          + " from commit " + lastRecord.sourceCommit() + " (record " + lastRecord.id() + ")"
          + (lastRecord.forced() != null ? " FORCED by " + lastRecord.forced().by() + ": " + lastRecord.forced().reason()
              : ""));
      lines.add("  last smoke test: " + (lastRecord.smoke() == null ? "none"
          : lastRecord.smoke().status().text() + " at " + lastRecord.smoke().time() + " — " + lastRecord.smoke().summary()
          + (lastRecord.smoke().hubUrl() == null ? "" : " (" + lastRecord.smoke().hubUrl() + ")")));
    }
    return lines;
  }

  /** Whether prod runs something other than what staging runs (by image digest and chart). */
  public static boolean behind(EnvironmentStatus prod, EnvironmentStatus staging) {
    return staging.imageDigest() != null && (!staging.imageDigest().equals(prod.imageDigest())
        || !java.util.Objects.equals(staging.chart(), prod.chart()));
  }
}
