package dev.datahub.release;

import dev.datahub.promotion.DeploymentRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether an environment needs this deploy: the bundle (image digest, chart name/version/digest, values hash, secret
 * values hash) is compared with the environment's latest succeeded deployment record of the same release, and the live
 * Helm release must still be that record's revision, {@code deployed}, running the recorded image (no drift). Pure:
 * the caller reads the record and the live release.
 *
 * @param deploy false only when everything matches
 * @param changes why a deploy is needed (empty when it is not): image, chart, values, secret values, drift, first deploy
 * @param current the record the environment runs, when there is one
 */
public record DeployDecision(boolean deploy, List<String> changes, DeploymentRecord current) {

  public static DeployDecision decide(ReleaseBundle bundle, Optional<DeploymentRecord> lastSucceeded,
      Optional<StoredRelease> live, String liveImage) {
    List<String> changes = new ArrayList<>();
    if (lastSucceeded.isEmpty()) {
      changes.add("first deploy (no succeeded deployment record for this release)");
      return new DeployDecision(true, changes, null);
    }
    DeploymentRecord r = lastSucceeded.get();
    if (!Objects.equals(r.imageDigest(), bundle.imageDigest())) {
      changes.add("image " + r.imageDigest() + " -> " + bundle.imageDigest());
    } else if (!Objects.equals(r.image(), bundle.image())) {
      changes.add("image reference " + r.image() + " -> " + bundle.image());
    }
    if (!Objects.equals(r.chartName(), bundle.chartName()) || !Objects.equals(r.chartVersion(), bundle.chartVersion())) {
      changes.add("chart " + r.chartName() + " " + r.chartVersion() + " -> " + bundle.chartName() + " "
          + bundle.chartVersion());
    } else if (!Objects.equals(r.chartDigest(), bundle.chartDigest())) {
      changes.add("chart content of " + bundle.chartName() + " " + bundle.chartVersion() + " ("
          + (r.chartDigest() == null ? "not recorded" : shortHash(r.chartDigest())) + " -> "
          + shortHash(bundle.chartDigest()) + ")");
    }
    if (!Objects.equals(r.valuesHash(), bundle.valuesHash())) {
      changes.add("values (" + shortHash(r.valuesHash()) + " -> " + shortHash(bundle.valuesHash()) + ")");
    }
    if (!Objects.equals(r.secretValuesHash(), bundle.secretValuesHash())) {
      changes.add("secret values"); // fingerprints of secrets are not printed
    }
    if (live.isEmpty()) {
      changes.add("drift: the Helm release is not installed any more (record " + r.id() + " says revision "
          + r.revision() + ")");
    } else {
      StoredRelease l = live.get();
      if (l.revision() != r.revision() || !l.deployed()) {
        changes.add("drift: the live release is revision " + l.revision() + " (" + l.status() + "), record " + r.id()
            + " is revision " + r.revision());
      } else if (liveImage == null || r.imageDigest() == null || !liveImage.endsWith(r.imageDigest())) {
        changes.add("drift: the live release runs " + liveImage + ", record " + r.id() + " says " + r.imageDigest());
      }
    }
    return new DeployDecision(!changes.isEmpty(), List.copyOf(changes), r);
  }

  /** A decision to deploy whatever the comparison says. */
  public DeployDecision forced() {
    List<String> why = new ArrayList<>(changes);
    why.add(0, "forced (-Ddatahub.deploy.force=true)");
    return new DeployDecision(true, List.copyOf(why), current);
  }

  /** The one line printed when nothing is deployed. */
  public String skipLine(EnvironmentSpec env) {
    return env.name() + " (namespace " + env.namespace() + ", release " + env.release() + ") already runs "
        + current.imageDigest() + " with chart " + current.chartName() + " " + current.chartVersion()
        + " and the same values (record " + current.id() + ", revision " + current.revision()
        + "): nothing to deploy; -Ddatahub.deploy.force=true redeploys";
  }

  /** The line printed before a deploy. */
  public String deployLine(EnvironmentSpec env) {
    return "Deploying to " + env.name() + " (namespace " + env.namespace() + ", release " + env.release()
        + ") because: " + String.join("; ", changes);
  }

  static String shortHash(String hash) {
    if (hash == null) {
      return "none";
    }
    String hex = hash.startsWith("sha256:") ? hash.substring(7) : hash;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
