package dev.datahub.release;

import dev.datahub.Fix;
import dev.datahub.Wording;
import dev.datahub.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether an environment needs this deploy: the bundle (image digest, chart name/version/content digest, the digest of
 * each values layer, the keyed fingerprint of the secret values) is compared with the environment's latest succeeded
 * (and signed) deployment record of the same release, and the live Helm release must still be that record's revision,
 * {@code deployed}, running the recorded image with the recorded values (no drift). Pure: the caller reads the record
 * and the live release.
 *
 * @param deploy false only when everything matches
 * @param changes why a deploy is needed (empty when it is not): image, chart, values, secret values, drift, first deploy
 * @param current the record the environment runs, when there is one
 */
public record DeployDecision(boolean deploy, List<String> changes, DeploymentRecord current) {

  private static final Fix.Property FORCE = Fix.property("datahub.deploy.force", "true");

  /**
   * @param liveImage the image of the live revision's values
   * @param liveValuesHmac the keyed fingerprint of the live revision's values ({@link HubRelease#valuesHmac})
   */
  public static DeployDecision decide(ReleaseBundle bundle, Optional<DeploymentRecord> lastSucceeded,
      Optional<StoredRelease> live, String liveImage, String liveValuesHmac) {
    List<String> changes = new ArrayList<>();
    if (lastSucceeded.isEmpty() || lastSucceeded.get().bundle() == null) {
      changes.add("first deploy (no succeeded deployment record for this release)");
      return new DeployDecision(true, changes, null);
    }
    DeploymentRecord r = lastSucceeded.get();
    ReleaseBundle was = r.bundle();
    if (!Objects.equals(was.imageDigest(), bundle.imageDigest())) {
      changes.add("image " + was.imageDigest() + " -> " + bundle.imageDigest());
    } else if (!Objects.equals(was.image(), bundle.image())) {
      changes.add("image reference " + was.image() + " -> " + bundle.image());
    }
    if (!Objects.equals(was.chartName(), bundle.chartName())
        || !Objects.equals(was.chartVersion(), bundle.chartVersion())) {
      changes.add("chart " + was.chartName() + " " + was.chartVersion() + " -> " + bundle.chartName() + " "
          + bundle.chartVersion());
    } else if (!Objects.equals(was.chartDigest(), bundle.chartDigest())) {
      changes.add("chart content of " + bundle.chartName() + " " + bundle.chartVersion() + " ("
          + (was.chartDigest() == null ? "not recorded" : shortHash(was.chartDigest())) + " -> "
          + shortHash(bundle.chartDigest()) + ")");
    }
    layer(changes, "common values", was.commonValuesDigest(), bundle.commonValuesDigest());
    layer(changes, "environment values", was.environmentValuesDigest(), bundle.environmentValuesDigest());
    if (!Objects.equals(was.secretValuesHmac(), bundle.secretValuesHmac())) {
      changes.add("secret values"); // their fingerprints are not printed
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
      } else if (r.liveValuesHmac() != null && !r.liveValuesHmac().equals(liveValuesHmac)) {
        changes.add("drift: the values Helm stored for revision " + l.revision() + " are not the ones record " + r.id()
            + " deployed");
      }
    }
    return new DeployDecision(!changes.isEmpty(), List.copyOf(changes), r);
  }

  private static void layer(List<String> changes, String name, String was, String now) {
    if (!Objects.equals(was, now)) {
      changes.add(name + " (" + shortHash(was) + " -> " + shortHash(now) + ")");
    }
  }

  /** A decision to deploy whatever the comparison says; the reason names the switch in {@code wording}'s words. */
  public DeployDecision forced(Wording wording) {
    List<String> why = new ArrayList<>(changes);
    why.add(0, Words.of("forced ({})", FORCE).in(wording));
    return new DeployDecision(true, List.copyOf(why), current);
  }

  /** The one line printed when nothing is deployed. */
  public String skipLine(EnvironmentSpec env, Wording wording) {
    return Words.of(env.name() + " (namespace " + env.namespace() + ", release " + env.release() + ") already runs "
        + current.imageDigest() + " with chart " + current.chartName() + " " + current.chartVersion()
        + " and the same values (record " + current.id() + ", revision " + current.revision()
        + "): nothing to deploy; {} redeploys", FORCE).in(wording);
  }

  /** The line printed before a deploy. */
  public String deployLine(EnvironmentSpec env) {
    return "Deploying to " + env.name() + " (namespace " + env.namespace() + ", release " + env.release()
        + ") because: " + String.join("; ", changes);
  }

  static String shortHash(String hash) {
    return ReleaseBundle.shortHash(hash);
  }
}
