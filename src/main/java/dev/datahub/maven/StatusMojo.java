package dev.datahub.maven;

import dev.datahub.DataHubException;
import dev.datahub.release.EnvironmentStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;

/** Per environment: release revision and state, image digest, chart, last deploy and smoke result; prod vs staging. */
@Mojo(name = "status", requiresProject = true, threadSafe = true)
public class StatusMojo extends AbstractReleaseMojo {

  @Override
  protected void runRelease() {
    Map<String, EnvironmentStatus> statuses = new LinkedHashMap<>();
    for (String name : new String[] {"staging", "prod"}) {
      try {
        EnvironmentStatus status = EnvironmentStatus.of(hubRelease(name));
        statuses.put(name, status);
        status.lines().forEach(log()::info);
      } catch (DataHubException e) {
        log().warn(name + ": unavailable — " + e.getMessage());
      }
    }
    if (statuses.containsKey("staging") && statuses.containsKey("prod")) {
      boolean behind = EnvironmentStatus.behind(statuses.get("prod"), statuses.get("staging"));
      log().info(behind ? "prod is BEHIND staging (different image digest or chart)" : "prod runs what staging runs");
    }
    writeResult("status.json", statuses);
  }

  @Override
  protected String goalName() {
    return "status";
  }
}
