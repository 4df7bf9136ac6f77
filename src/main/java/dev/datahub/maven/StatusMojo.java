package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.release.BundleDiff;
import dev.datahub.release.EnvironmentStatus;
import dev.datahub.release.HubRelease;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;

/** Per environment: release revision and state, image digest, chart, last deploy and smoke result; prod vs staging. */
@Mojo(name = "status", requiresProject = true, threadSafe = true)
public class StatusMojo extends AbstractReleaseMojo {

  @Override
  protected void runRelease() {
    Map<String, EnvironmentStatus> statuses = new LinkedHashMap<>();
    Map<String, HubRelease> releases = new LinkedHashMap<>();
    for (String name : new String[] {"staging", "prod"}) {
      try {
        releases.put(name, hubRelease(name));
        EnvironmentStatus status = EnvironmentStatus.of(releases.get(name));
        statuses.put(name, status);
        status.lines().forEach(log()::info);
      } catch (DataHubException | io.fabric8.kubernetes.client.KubernetesClientException e) {
        log().warn(name + ": unavailable — " + e.getMessage());
      }
    }
    if (statuses.containsKey("staging") && statuses.containsKey("prod")) {
      boolean behind = EnvironmentStatus.behind(statuses.get("prod"), statuses.get("staging"));
      log().info(behind ? "prod is BEHIND staging (different image digest or chart)" : "prod runs what staging runs");
      BundleDiff.ofPromotion(releases.get("staging"), releases.get("prod")).ifPresent(diff -> {
        log().info("staging vs prod (what a promotion would change):" + (diff.isEmpty() ? " nothing" : ""));
        diff.lines().forEach(line -> log().info("  " + line));
      });
    }
    writeResult("status.json", statuses);
  }

  @Override
  protected String goalName() {
    return "status";
  }
}
