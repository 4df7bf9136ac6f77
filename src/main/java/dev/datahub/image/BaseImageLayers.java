package dev.datahub.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads files of a base image as the container would see them (upper layers win, whiteouts
 * remove), straight from the registry. Used to learn which Python distributions the base already
 * has. Results are cached by base manifest digest, so a base is streamed once per question.
 */
public final class BaseImageLayers {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final RegistryApi registry;
  private final String repository;
  private final String manifestDigest;
  private final ManifestLayers manifest;
  private final Path cacheDirectory;

  private BaseImageLayers(RegistryApi registry, String repository, String manifestDigest, ManifestLayers manifest,
      Path cacheDirectory) {
    this.registry = registry;
    this.repository = repository;
    this.manifestDigest = manifestDigest;
    this.manifest = manifest;
    this.cacheDirectory = cacheDirectory;
  }

  /** Opens {@code from} (a tag or digest reference), choosing linux/amd64 from a multi-platform index. */
  public static BaseImageLayers open(String from, Set<String> insecureRegistries, RegistryCredential.Lookup credentials,
      Path cacheDirectory) {
    ImageReference reference;
    try {
      reference = ImageReference.parse(from);
    } catch (InvalidImageReferenceException e) {
      throw new DataHubException("<from> '" + from + "' is not a valid image reference — write it as"
          + " registry/repository[:tag][@sha256:digest]");
    }
    RegistryApi registry = RegistryApi.connect(reference.getRegistry(), insecureRegistries,
        credentials.forRegistry(reference.getRegistry()), TIMEOUT);
    String repository = reference.getRepository();
    try {
      RegistryApi.Manifest top = registry.manifest(repository, reference.getQualifier()).orElseThrow(
          () -> new DataHubException("base image " + from + " was not found — check <from>"));
      JsonNode root = JSON.readTree(top.body());
      RegistryApi.Manifest image = top;
      if (root.has("manifests")) {
        String platformDigest = null;
        for (JsonNode m : root.get("manifests")) {
          JsonNode platform = m.path("platform");
          if ("amd64".equals(platform.path("architecture").asText()) && "linux".equals(platform.path("os").asText())) {
            platformDigest = m.get("digest").asText();
            break;
          }
        }
        if (platformDigest == null) {
          throw new DataHubException("base image " + from + " has no linux/amd64 image — choose a base built for it");
        }
        image = registry.manifest(repository, platformDigest).orElseThrow();
      }
      ManifestLayers layers = ManifestLayers.parse(image.body());
      String digest = image.digest() != null ? image.digest() : sha256(image.body());
      return new BaseImageLayers(registry, repository, digest, layers, cacheDirectory);
    } catch (IOException e) {
      throw new DataHubException("cannot read base image " + from + ": " + e.getMessage()
          + " — check the registry address and your network");
    }
  }

  public int layerCount() {
    return manifest.layers().size();
  }

  /** Mode and owner of a directory in the base image. */
  public record Directory(int mode, String owner) {}

  /** What {@link #scan} found: file texts and directory attributes, as the container sees them. */
  public record Contents(Map<String, String> files, Map<String, Directory> directories) {
    public Contents {
      files = new TreeMap<>(files);
      directories = new TreeMap<>(directories);
    }
  }

  /**
   * Reads the text of every regular file whose absolute path passes {@code files}, and mode and
   * owner of every directory that passes {@code directories}. {@code cacheKey} names the two filters
   * for the cache (same key, same filters).
   */
  public Contents scan(String cacheKey, Predicate<String> files, Predicate<String> directories) {
    Path cached = cacheDirectory == null ? null
        : cacheDirectory.resolve("base-files").resolve(manifestDigest.replace(':', '-') + "-" + sha256(
            cacheKey.getBytes(StandardCharsets.UTF_8)).substring(7, 23) + ".json");
    if (cached != null && Files.isRegularFile(cached)) {
      try {
        return JSON.readValue(cached.toFile(), Contents.class);
      } catch (IOException e) {
        // a damaged cache entry is read again from the registry
      }
    }
    Map<String, String> texts = new TreeMap<>();
    Map<String, Directory> dirs = new TreeMap<>();
    try {
      for (ManifestLayers.Blob layer : manifest.layers()) {
        try (InputStream blob = registry.blob(repository, layer.digest())) {
          apply(blob, layer.mediaType(), files, directories, texts, dirs);
        }
      }
      Contents contents = new Contents(texts, dirs);
      if (cached != null) {
        Files.createDirectories(cached.getParent());
        Path temp = Files.createTempFile(cached.getParent(), "base", ".tmp");
        JSON.writeValue(temp.toFile(), contents);
        Files.move(temp, cached, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return contents;
    } catch (IOException e) {
      throw new DataHubException("cannot read the layers of the base image: " + e.getMessage()
          + " — check the registry and your network");
    }
  }

  private static void apply(InputStream blob, String mediaType, Predicate<String> wantedFiles,
      Predicate<String> wantedDirs, Map<String, String> files, Map<String, Directory> dirs) throws IOException {
    if (mediaType.contains("zstd")) {
      throw new DataHubException("base image layer compressed with zstd is not supported — use a gzip-compressed base");
    }
    // Docker: …diff.tar.gzip; OCI: …tar+gzip or plain …tar
    InputStream data = mediaType.contains("gzip") ? new GZIPInputStream(blob, 64 * 1024) : blob;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(data)) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        String path = "/" + entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        String parent = path.substring(0, path.lastIndexOf('/'));
        if (name.equals(".wh..wh..opq")) {
          String prefix = parent + "/";
          files.keySet().removeIf(p -> p.startsWith(prefix));
          dirs.keySet().removeIf(p -> p.startsWith(prefix));
        } else if (name.startsWith(".wh.")) {
          String removed = parent + "/" + name.substring(4);
          files.remove(removed);
          dirs.remove(removed);
          files.keySet().removeIf(p -> p.startsWith(removed + "/"));
          dirs.keySet().removeIf(p -> p.startsWith(removed + "/"));
        } else if (entry.isFile() && wantedFiles.test(path)) {
          files.put(path, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
        } else if (entry.isDirectory() && wantedDirs.test(path)) {
          dirs.put(path, new Directory(entry.getMode() & 07777, entry.getLongUserId() + ":" + entry.getLongGroupId()));
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
