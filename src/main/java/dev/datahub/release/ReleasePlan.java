package dev.datahub.release;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.datahub.Fix;
import dev.datahub.Wording;
import dev.datahub.Words;
import java.util.ArrayList;
import java.util.List;

/**
 * What a deploy would change, as pure data. Secret values never appear: Secret fields and secret values show
 * {@code ****}.
 *
 * @param kubeVersion the Kubernetes version the chart was rendered for, and where it came from
 * @param schema which values schema Helm checked the values against, or null when the chart has none
 * @param renderedResources {@code Kind/name} of every resource of the offline render (hooks excluded)
 * @param hooks {@code Kind/name (events)} of the chart's hooks
 * @param images {@code image — Kind/name, …}: every container image in the rendered manifest
 * @param notes what the reader must know about this render (e.g. the chart calls {@code lookup})
 * @param comparedWithCluster true when the live release was read
 * @param resourceChanges lines like {@code + Deployment/hub}, {@code ~ ConfigMap/hub}, {@code - Service/old}
 * @param fieldChanges lines like {@code ~ ConfigMap/hub data.image: "a" -> "b"} (Secret fields as {@code ****})
 * @param valueChanges lines like {@code ~ singleuser.image.tag: "1@sha256:a…" -> "1@sha256:b…"}; every path that is
 *     secret in the new values or in the live release (its record keeps the secret paths) shows {@code ****}
 * @param secretPaths the paths the secret files set (never their values)
 * @param secretValuesHmac keyed with the namespace's key, so only with a cluster; never a bare hash
 * @param manifest the rendered manifest, secrets masked (written to {@code <env>-manifest.yaml}, not to the JSON)
 */
public record ReleasePlan(
    String environment,
    String image,
    String chart,
    String kubeVersion,
    String schema,
    Integer liveRevision,
    List<String> renderedResources,
    List<String> hooks,
    List<String> images,
    List<String> notes,
    boolean comparedWithCluster,
    List<String> resourceChanges,
    List<String> fieldChanges,
    List<String> valueChanges,
    String commonValuesDigest,
    String environmentValuesDigest,
    String imageValuesDigest,
    List<String> secretPaths,
    String secretValuesHmac,
    @JsonIgnore String manifest) {

  private static final Fix.Property CLUSTER = Fix.property("datahub.plan.cluster", "true");

  /** {@link #lines(Wording)} in the core's own words. */
  public List<String> lines() {
    return lines(Wording.NEUTRAL);
  }

  /** The plan as printed, its settings in {@code wording}'s words. */
  public List<String> lines(Wording wording) {
    List<String> out = new ArrayList<>();
    out.add("Plan for " + environment + ": image " + (image == null
        ? Words.of("(none: no pushed image in image.json and no {})", Fix.property("datahub.image", null)).in(wording)
        : image) + ", chart " + chart);
    out.add("  values: common " + commonValuesDigest + ", " + environment + " " + environmentValuesDigest + ", image "
        + imageValuesDigest);
    out.add("  secret values: " + secretPaths.size() + " paths " + secretPaths + ", fingerprint " + (secretValuesHmac == null
        ? Words.of("(needs the namespace's key ({}, after a first deploy))", CLUSTER).in(wording)
        : secretValuesHmac));
    out.add("  rendered offline as helm template does, for Kubernetes " + kubeVersion);
    out.add("  values schema: " + (schema == null ? "none in the chart — values were NOT checked against a schema" : schema));
    out.add("  resources (" + renderedResources.size() + "): " + String.join(", ", renderedResources));
    if (!hooks.isEmpty()) {
      out.add("  hooks (" + hooks.size() + "): " + String.join(", ", hooks));
    }
    out.add("  images:");
    images.forEach(l -> out.add("    " + l));
    notes.forEach(n -> out.add("  note: " + n));
    if (!comparedWithCluster) {
      out.add(Words.of("  not compared with a cluster (render only; {} compares with the live release)", CLUSTER).in(wording));
      return out;
    }
    out.add("  live release: " + (liveRevision == null ? "not installed (first install)" : "revision " + liveRevision));
    out.add("  resources (" + resourceChanges.size() + " changed):");
    for (String change : resourceChanges) {
      out.add("    " + change);
      String key = change.substring(2);
      fieldChanges.stream().filter(f -> f.startsWith(key + " ", 2)).forEach(f -> out.add("        "
          + f.charAt(0) + " " + f.substring(2 + key.length() + 1)));
    }
    out.add("  values (" + valueChanges.size() + " changed):");
    valueChanges.forEach(l -> out.add("    " + l));
    return out;
  }
}
