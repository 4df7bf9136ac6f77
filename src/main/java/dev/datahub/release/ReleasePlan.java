package dev.datahub.release;

import java.util.ArrayList;
import java.util.List;

/**
 * What a deploy would change, as pure data. Secret values never appear: changed secret paths show {@code ****}.
 *
 * @param manifestRendered false when the chart could not be rendered here (a chart calling {@code lookup} without a
 *     reachable default cluster); {@code renderNote} says why
 * @param comparedWithCluster true when the live release was read
 * @param resourceChanges lines like {@code + Deployment/hub}, {@code ~ ConfigMap/hub}, {@code - Service/old}
 * @param valueChanges lines like {@code ~ singleuser.image.tag: "1@sha256:a…" -> "1@sha256:b…"}; every path that is
 *     secret in the new values or in the live release (its record keeps the secret paths) shows {@code ****}
 * @param secretPaths the paths the secret files set (never their values)
 * @param secretValuesHmac keyed with the namespace's key, so only with a cluster; never a bare hash
 */
public record ReleasePlan(
    String environment,
    String image,
    String chart,
    Integer liveRevision,
    boolean manifestRendered,
    String renderNote,
    List<String> renderedResources,
    boolean comparedWithCluster,
    List<String> resourceChanges,
    List<String> valueChanges,
    String commonValuesDigest,
    String environmentValuesDigest,
    String imageValuesDigest,
    List<String> secretPaths,
    String secretValuesHmac) {

  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add("Plan for " + environment + ": image " + (image == null ? "(none: no pushed image in image.json and no -Ddatahub.image)" : image)
        + ", chart " + chart);
    out.add("  values: common " + commonValuesDigest + ", " + environment + " " + environmentValuesDigest + ", image "
        + imageValuesDigest);
    out.add("  secret values: " + secretPaths.size() + " paths " + secretPaths + ", fingerprint " + (secretValuesHmac == null
        ? "fingerprint needs the namespace's key (-Ddatahub.plan.cluster=true, after a first deploy)"
        : secretValuesHmac));
    if (manifestRendered) {
      out.add("  rendered " + renderedResources.size() + " resources: " + String.join(", ", renderedResources));
    } else {
      out.add("  manifest not rendered: " + renderNote);
    }
    if (!comparedWithCluster) {
      out.add("  not compared with a cluster (render only; -Ddatahub.plan.cluster=true compares with the live release)");
      return out;
    }
    out.add("  live release: " + (liveRevision == null ? "not installed (first install)" : "revision " + liveRevision));
    out.add("  resources (" + resourceChanges.size() + " changed):");
    resourceChanges.forEach(l -> out.add("    " + l));
    out.add("  values (" + valueChanges.size() + " changed):");
    valueChanges.forEach(l -> out.add("    " + l));
    return out;
  }
}
