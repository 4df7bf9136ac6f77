package dev.datahub.image;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.Words;
import dev.datahub.log.StepLog;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Reuse of an image whose content-hash tag the target repository already has: no build, only missing tags added. */
final class ExistingImage {

  private ExistingImage() {}

  /** The image already pushed for {@code plan}'s inputs, with every tag of the plan pointing at it; empty if none. */
  static Optional<BuiltImage> reuse(ImagePlan plan, Registries registries, StepLog log) {
    ImageReference target = plan.target().orElseThrow();
    String repository = ImagePlan.repository(target);
    RegistryApi registry = registries.get(target.getRegistry());
    try {
      Optional<String> digest = registry.manifestDigest(target.getRepository(), plan.hashTag());
      if (digest.isEmpty()) {
        return Optional.empty();
      }
      log.info(Words.of("Image " + repository + ":" + plan.hashTag() + " already exists (inputs unchanged): skipping build"
          + " and push; use {} to rebuild", Fix.property("datahub.image.force", "true")).in(log.wording()));
      List<String> tags = plan.tags(target);
      RegistryApi.Manifest manifest = null;
      for (String tag : tags.subList(1, tags.size())) {
        if (!registry.manifestDigest(target.getRepository(), tag).equals(digest)) {
          if (manifest == null) {
            manifest = registry.manifest(target.getRepository(), plan.hashTag()).orElseThrow();
          }
          registry.putManifest(target.getRepository(), tag, manifest);
          log.info("Tagged " + repository + ":" + tag + " -> " + digest.get());
        }
      }
      return Optional.of(new BuiltImage(repository, digest.get(), null, tags, plan.hashTag(),
          plan.spec().from(), plan.baseDigest(), plan.inputHash(), true, null, true));
    } catch (IOException e) {
      throw new DataHubException("cannot check " + repository + ":" + plan.hashTag() + ": " + e.getMessage()
          + " — check the registry address and your network");
    }
  }
}
