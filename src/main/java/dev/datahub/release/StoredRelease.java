package dev.datahub.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One revision of a Helm release as Helm stored it in {@code sh.helm.release.v1.<release>.v<N>}: status, chart
 * identity, the user-supplied values ({@code config}) and the rendered manifest.
 */
public record StoredRelease(
    String name,
    int revision,
    String status,
    String chartName,
    String chartVersion,
    String appVersion,
    String description,
    Map<String, Object> config,
    String manifest,
    ObjectNode raw) {

  public boolean pending() {
    return status != null && status.startsWith("pending-");
  }

  public boolean deployed() {
    return "deployed".equals(status);
  }

  public String chart() {
    return chartName + "-" + chartVersion;
  }
}
