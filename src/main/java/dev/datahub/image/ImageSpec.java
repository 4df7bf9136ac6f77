package dev.datahub.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything that defines the single-user image and where it goes. Built once from the
 * configuration; validated by {@link SingleUserImage} before anything is pulled or pushed.
 *
 * @param from base image reference; {@code scratch} for an empty base
 * @param to target repository (may carry a tag, which is added to {@code tags}); null: tarball only
 * @param tags extra tags besides the content-hash tag
 * @param format {@code Docker} or {@code OCI}
 * @param content project files to add, one layer each, in order
 * @param extraLayers further layers (e.g. Python packages), placed before the content layers
 * @param environment environment variables
 * @param labels image labels
 * @param user the user, e.g. {@code 1000:100}
 * @param workingDirectory null: inherited from the base
 * @param entrypoint null: inherited from the base
 * @param cmd null: inherited from the base
 * @param push false: write a tarball even when {@code to} is set
 * @param force build and push even when the content-hash tag exists
 * @param allowInsecureRegistries registry hosts that may be reached over plain HTTP
 * @param projectDirectory content sources must stay inside it
 * @param outputDirectory where image.json, image.digest and image.tar go
 * @param cacheDirectory Jib's layer caches (base and application)
 * @param toolVersion this plugin's version, part of the input hash
 */
public record ImageSpec(
    String from,
    String to,
    List<String> tags,
    String format,
    List<ContentMapping> content,
    List<ImageLayer> extraLayers,
    Map<String, String> environment,
    Map<String, String> labels,
    String user,
    String workingDirectory,
    List<String> entrypoint,
    List<String> cmd,
    boolean push,
    boolean force,
    Set<String> allowInsecureRegistries,
    Path projectDirectory,
    Path outputDirectory,
    Path cacheDirectory,
    String toolVersion) {

  public static final String DEFAULT_USER = "1000:100";

  public ImageSpec {
    tags = tags == null ? List.of() : List.copyOf(tags);
    format = format == null || format.isBlank() ? "Docker" : format;
    content = content == null ? List.of() : List.copyOf(content);
    extraLayers = extraLayers == null ? List.of() : List.copyOf(extraLayers);
    environment = environment == null ? Map.of() : new TreeMap<>(environment);
    labels = labels == null ? Map.of() : new TreeMap<>(labels);
    user = user == null || user.isBlank() ? DEFAULT_USER : user;
    allowInsecureRegistries = allowInsecureRegistries == null ? Set.of() : Set.copyOf(allowInsecureRegistries);
  }

  /** True when the image goes to a registry; false when it is written as a tarball. */
  public boolean pushes() {
    return push && to != null && !to.isBlank();
  }

  public ImageSpec withExtraLayers(List<ImageLayer> layers) {
    return new ImageSpec(from, to, tags, format, content, layers, environment, labels, user, workingDirectory,
        entrypoint, cmd, push, force, allowInsecureRegistries, projectDirectory, outputDirectory, cacheDirectory,
        toolVersion);
  }

  /** This spec with one more label (e.g. the image's contents, {@link ImageContents#LABEL}). */
  public ImageSpec withLabel(String key, String value) {
    Map<String, String> more = new TreeMap<>(labels);
    more.put(key, value);
    return new ImageSpec(from, to, tags, format, content, extraLayers, environment, more, user, workingDirectory,
        entrypoint, cmd, push, force, allowInsecureRegistries, projectDirectory, outputDirectory, cacheDirectory,
        toolVersion);
  }
}
