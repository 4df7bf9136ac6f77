package dev.datahub.image;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.output.ResultFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code build-image} produced, as written to {@code target/datahub/image.json}. Later goals
 * (deploy, smoke test, promote) read it to know exactly which image digest to use.
 *
 * @param repository the image repository without tag or digest, e.g. {@code registry.example.org/hub/user}
 * @param digest the manifest digest, {@code sha256:…}
 * @param imageId the config digest, {@code sha256:…}
 * @param tags every tag applied, the content hash tag first
 * @param hashTag the content-addressed tag computed from all inputs
 * @param baseImage the base image as configured
 * @param baseDigest the base image digest actually used
 * @param inputHash the hash of every input (hex)
 * @param pushed whether the image is in the registry (false: tarball only)
 * @param tarball the path of {@code image.tar} when one was written, else null
 * @param reusedExisting true when the hash tag already existed and nothing was built
 * @param contents base, Python packages and content layers ({@link ImageContents}); null when not recorded
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuiltImage(
    String repository,
    String digest,
    String imageId,
    List<String> tags,
    String hashTag,
    String baseImage,
    String baseDigest,
    String inputHash,
    boolean pushed,
    String tarball,
    boolean reusedExisting,
    ImageContents contents) {

  public static final String FILE_NAME = "image.json";
  public static final String DIGEST_FILE_NAME = "image.digest";

  public BuiltImage {
    tags = tags == null ? List.of() : List.copyOf(tags);
    if (!Digest.isValid(digest)) {
      throw new IllegalArgumentException("image digest must be sha256:<64 hex>, got " + digest);
    }
  }

  public BuiltImage(String repository, String digest, String imageId, List<String> tags, String hashTag,
      String baseImage, String baseDigest, String inputHash, boolean pushed, String tarball, boolean reusedExisting) {
    this(repository, digest, imageId, tags, hashTag, baseImage, baseDigest, inputHash, pushed, tarball, reusedExisting,
        null);
  }

  public BuiltImage withContents(ImageContents newContents) {
    return new BuiltImage(repository, digest, imageId, tags, hashTag, baseImage, baseDigest, inputHash, pushed, tarball,
        reusedExisting, newContents);
  }

  /** {@code repository@sha256:…}: the only form later goals deploy. */
  @JsonIgnore
  public String reference() {
    return repository + "@" + digest;
  }

  /** Writes {@code image.json} and {@code image.digest} into {@code dir} (created if missing). */
  public void writeTo(Path dir) {
    ResultFiles.writeJson(dir.resolve(FILE_NAME), this);
    ResultFiles.writeText(dir.resolve(DIGEST_FILE_NAME), digest + "\n");
  }

  /** Reads {@code image.json} from {@code dir}; a missing file names the goal that writes it. */
  public static BuiltImage readFrom(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      return ResultFiles.JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), BuiltImage.class);
    } catch (NoSuchFileException e) {
      throw new DataHubException("no built image at " + file + " — run {} first, or pass {}",
          Fix.inPhase("build-image", "package"), Fix.property("datahub.image", "<repository>@sha256:<digest>"));
    } catch (IOException | IllegalArgumentException e) {
      throw new DataHubException("cannot read " + file + ": " + e.getMessage() + " — delete it and run {} again",
          Fix.goal("build-image"));
    }
  }
}
