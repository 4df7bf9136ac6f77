package dev.datahub.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.datahub.DataHubException;
import dev.datahub.output.ResultFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One hub's line in a reactor summary, written by deploy-staging as {@code target/datahub/release/<env>-deploy.json}
 * (and completed by smoke-test): whether the hub was deployed or skipped, and why. Holds no values, only digests.
 *
 * @param action {@code deployed} or {@code skipped}
 * @param reasons what changed (deployed) or why nothing was deployed (skipped)
 * @param smoke {@code null} until smoke-test ran in the same build, then {@code passed}, {@code failed} or
 *     {@code skipped}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeploySummary(
    String hub,
    String environment,
    String namespace,
    String release,
    String action,
    List<String> reasons,
    String record,
    int revision,
    String imageDigest,
    String chart,
    String smoke,
    String smokeReason) {

  public static final String DEPLOYED = "deployed";
  public static final String SKIPPED = "skipped";

  public static String fileName(String environment) {
    return environment + "-deploy.json";
  }

  public static DeploySummary of(String hub, EnvironmentSpec env, HubRelease.DeployResult result) {
    var record = result.record();
    List<String> reasons = result.deployed() ? result.decision().changes()
        : List.of("same image, chart and values as record " + record.id() + " (revision " + record.revision()
            + ") and no drift");
    return new DeploySummary(hub, env.name(), env.namespace(), env.release(), result.deployed() ? DEPLOYED : SKIPPED,
        reasons, record.id(), record.revision(), record.imageDigest(),
        record.chartName() + " " + record.chartVersion(), null, null);
  }

  public boolean skipped() {
    return SKIPPED.equals(action);
  }

  public DeploySummary withSmoke(String status, String reason) {
    return new DeploySummary(hub, environment, namespace, release, action, reasons, record, revision, imageDigest,
        chart, status, reason);
  }

  public static DeploySummary readFrom(Path file) {
    try {
      return ResultFiles.JSON.readValue(file.toFile(), DeploySummary.class);
    } catch (IOException e) {
      throw new DataHubException("cannot read " + file + ": " + e.getMessage() + " — delete it and deploy again");
    }
  }

  /** One line per hub, for a reactor summary: {@code hub-a  staging  skipped   same image, chart and values …}. */
  public static List<String> table(List<DeploySummary> summaries) {
    int width = summaries.stream().mapToInt(s -> String.valueOf(s.hub()).length()).max().orElse(3);
    List<String> lines = new ArrayList<>();
    for (DeploySummary s : summaries) {
      lines.add(String.format("%-" + width + "s  %-8s %-9s %s%s", s.hub(), s.environment(), s.action(),
          String.join("; ", s.reasons()), s.smoke() == null ? "" : " | smoke test " + s.smoke()
              + (s.smokeReason() == null ? "" : " (" + s.smokeReason() + ")")));
    }
    return lines;
  }
}
