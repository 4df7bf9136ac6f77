package dev.datahub.image;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.datahub.image.ImageFiles.PlannedLayer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the build will do, computed before anything is pushed. */
public record ImagePlan(
    ImageSpec spec,
    Optional<ImageReference> base,
    Optional<ImageReference> target,
    List<PlannedLayer> layers,
    String baseDigest,
    String inputHash,
    String hashTag) {

  /** The tags the image gets in the target repository: the content-hash tag first. */
  List<String> tags(ImageReference target) {
    Set<String> tags = new LinkedHashSet<>();
    tags.add(hashTag);
    String to = spec.to().trim();
    if (target.getTag().isPresent() && to.substring(to.lastIndexOf('/') + 1).contains(":")) {
      tags.add(target.getTag().get()); // a tag written in <to> explicitly, even 'latest'
    }
    tags.addAll(spec.tags());
    return List.copyOf(tags);
  }

  /** The repository of a reference without tag or digest, e.g. {@code registry:5000/hub/singleuser}. */
  static String repository(ImageReference reference) {
    return reference.withQualifier("latest").toStringWithQualifier().replaceFirst(":latest$", "");
  }
}
