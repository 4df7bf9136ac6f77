package dev.datahub.image;

import dev.datahub.log.StepLog;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Builds the single-user image: plan ({@link ImageInputs}: validate, resolve the base digest, hash every input),
 * reuse the image when the content-hash tag already exists ({@link ExistingImage}), otherwise build and push or write
 * a tarball ({@link JibBuild}), then record the result in {@code image.json}.
 */
public final class SingleUserImage {

  public static final String SCRATCH = "scratch";
  public static final String LOCAL_REPOSITORY = "datahub/singleuser";

  private final RegistryCredential.Lookup credentials;
  private final StepLog log;

  public SingleUserImage(RegistryCredential.Lookup credentials, StepLog log) {
    this.credentials = credentials;
    this.log = log;
  }

  public BuiltImage build(ImageSpec spec) {
    try (Registries registries = new Registries(spec.allowInsecureRegistries(), credentials)) {
      ImagePlan plan = ImageInputs.plan(spec, registries, log);
      Optional<BuiltImage> existing = plan.target().isPresent() && !spec.force()
          ? ExistingImage.reuse(plan, registries, log) : Optional.empty();
      return record(existing.isPresent() ? existing.get() : new JibBuild(credentials, log).containerize(plan, registries),
          spec);
    }
  }

  /**
   * Checks the spec offline: references, tags, format, content mappings (sources exist inside the
   * project, modes, owners, no two mappings writing one path). Nothing is contacted.
   */
  public void validate(ImageSpec spec) {
    ImageInputs.validate(spec);
  }

  /** Validates the spec, reaches the registries once and computes the content-hash tag. */
  public ImagePlan plan(ImageSpec spec) {
    try (Registries registries = new Registries(spec.allowInsecureRegistries(), credentials)) {
      return ImageInputs.plan(spec, registries, log);
    }
  }

  /** The rule of Jib's build-wide insecure mode; see {@link Registries#jibInsecureMode(List, Predicate, Set)}. */
  static boolean jibInsecureMode(List<String> touched, Predicate<String> relaxedByProbe, Set<String> listed) {
    return Registries.jibInsecureMode(touched, relaxedByProbe, listed);
  }

  private BuiltImage record(BuiltImage image, ImageSpec spec) {
    image.writeTo(spec.outputDirectory());
    log.info("Built image " + image.reference() + " (tags: " + String.join(", ", image.tags()) + ")");
    return image;
  }
}
