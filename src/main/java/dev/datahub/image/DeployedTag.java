package dev.datahub.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The tag {@code datahub-<environment>} that the deploy moves in the image's own repository to the image the
 * environment now runs, so that {@code plan} on a pull request can compare with it through the registry alone — no
 * cluster credentials — reading the image's contents from its label ({@link ImageContents#LABEL}).
 */
public final class DeployedTag {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Set<String> insecureRegistries;
  private final RegistryCredential.Lookup credentials;

  public DeployedTag(Set<String> insecureRegistries, RegistryCredential.Lookup credentials) {
    this.insecureRegistries = insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries);
    this.credentials = credentials;
  }

  /** {@code datahub-staging}, {@code datahub-prod}. */
  public static String of(String environment) {
    return "datahub-" + environment;
  }

  /** {@code repository:datahub-<environment>}. */
  public static String reference(String repository, String environment) {
    return repository + ":" + of(environment);
  }

  /** Points {@code repository:datahub-<environment>} at {@code digest} (a manifest put; nothing is uploaded). */
  public void move(String repository, String digest, String environment) {
    ImageReference ref = parse(repository);
    try (RegistryApi registry = connect(ref)) {
      RegistryApi.Manifest manifest = registry.manifest(ref.getRepository(), digest).orElseThrow(() ->
          new DataHubException("image " + repository + "@" + digest + " is not in its registry — push it first"));
      if (!digest.equals(registry.manifestDigest(ref.getRepository(), of(environment)).orElse(null))) {
        registry.putManifest(ref.getRepository(), of(environment), manifest);
      }
    } catch (IOException e) {
      throw new DataHubException("cannot tag " + reference(repository, environment) + ": " + e.getMessage()
          + " — check the registry and that the credentials may push to it");
    }
  }

  /**
   * {@link #move} for the image a record deployed ({@code repository[:tag]@sha256:…}); a failure is one warning line,
   * never an error: the deploy stands, only {@code plan} cannot compare with it through the registry.
   */
  public void moveOrWarn(String deployedImage, String environment, dev.datahub.log.StepLog log) {
    String digest = Digest.in(deployedImage);
    if (digest == null) {
      return;
    }
    String repository;
    try {
      repository = ImageReference.parse(deployedImage.substring(0, deployedImage.indexOf('@'))).withQualifier("latest")
          .toStringWithQualifier().replaceFirst(":latest$", "");
    } catch (InvalidImageReferenceException e) {
      return;
    }
    try {
      move(repository, digest, environment);
      log.info("Tagged " + reference(repository, environment) + " -> " + digest + " (plan compares pull requests with it)");
    } catch (DataHubException e) {
      log.warn("could not tag " + reference(repository, environment) + " (" + e.getMessage() + "); plan cannot compare"
          + " with " + environment + " through the registry until a deploy tags it");
    }
  }

  /** An image a tag named: its manifest digest and, when its label carries them, its contents. */
  public record Tagged(String reference, String digest, Optional<ImageContents> contents) {}

  /** The image {@code reference} ({@code repository:tag} or {@code repository@sha256:…}) names; empty when absent. */
  public Optional<Tagged> read(String reference) {
    ImageReference ref = parse(reference);
    try (RegistryApi registry = connect(ref)) {
      Optional<String> digest = registry.manifestDigest(ref.getRepository(), ref.getQualifier());
      if (digest.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Tagged(reference, digest.get(),
          ImageContents.readFromRegistry(registry, ref.getRepository(), digest.get())));
    } catch (IOException e) {
      throw new DataHubException("cannot read image " + reference + ": " + e.getMessage()
          + " — check the registry address, the credentials and your network");
    }
  }

  private RegistryApi connect(ImageReference ref) {
    return RegistryApi.connect(ref.getRegistry(), insecureRegistries, credentials.forRegistry(ref.getRegistry()),
        TIMEOUT);
  }

  private static ImageReference parse(String reference) {
    try {
      return ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new DataHubException("'" + reference + "' is not a valid image reference — write it as"
          + " registry/repository[:tag][@sha256:digest]");
    }
  }
}
