package dev.datahub.python;

import dev.datahub.DataHubException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verified wheels on disk, keyed by sha256: {@code <cache>/<sha256>/<file name>}. A file enters the
 * cache only after its bytes hashed to a value the lock allows, so a cached file is always trusted
 * and a rebuild needs neither the network nor the index. {@code <cache>/selected/<key>} remembers
 * which hash was chosen for a lock line and target, so selection needs no listing on a rebuild.
 */
public final class WheelCache {

  private final Path dir;
  private long downloadedBytes;
  private int downloads;

  public WheelCache(Path dir) {
    this.dir = dir;
  }

  /** The cached wheel with this hash, if present. */
  public Optional<Path> find(String sha256) {
    Path d = dir.resolve(sha256);
    if (!Files.isDirectory(d)) {
      return Optional.empty();
    }
    try (var list = Files.list(d)) {
      return list.filter(p -> p.getFileName().toString().endsWith(".whl")).sorted().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The hash chosen earlier for a selection key (lock line + target tags), if its wheel is still cached. */
  public Optional<Path> selected(String key) {
    Path n = dir.resolve("selected").resolve(key);
    try {
      if (!Files.isRegularFile(n)) {
        return Optional.empty();
      }
      return find(Files.readString(n, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Remembers which wheel (by hash) a selection key chose, so the next build needs no listing. */
  public void rememberSelection(String key, String sha256) {
    try {
      Path n = dir.resolve("selected").resolve(key);
      Files.createDirectories(n.getParent());
      Path tmp = Files.createTempFile(n.getParent(), key, ".tmp");
      Files.writeString(tmp, sha256 + "\n", StandardCharsets.UTF_8);
      move(tmp, n);
    } catch (IOException e) {
      // Only an optimisation: the next build lists the sources again.
    }
  }

  /**
   * Brings {@code file} into the cache and returns its path there. Its bytes must hash to one of
   * {@code allowed}, else nothing is stored and the build fails.
   */
  public Path fetch(IndexFile file, List<String> allowed, String requirement) {
    if (file.sha256() != null) {
      Optional<Path> hit = find(file.sha256());
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "download-", ".part");
      try {
        String actual = file.localFile() != null ? copyLocal(file, tmp) : download(file, tmp);
        if (!allowed.contains(actual)) {
          throw new DataHubException("hash mismatch for " + requirement + ": " + file.fileName() + " from "
              + file.source() + " has sha256 " + actual + " but the lock allows " + String.join(", ", allowed)
              + " — the file changed or the lock is stale: regenerate the lock with --generate-hashes (nothing was installed)");
        }
        Path target = dir.resolve(actual).resolve(file.fileName());
        Files.createDirectories(target.getParent());
        move(tmp, target);
        return target;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new DataHubException("cannot store " + file.fileName() + " in the wheel cache " + dir + ": " + e.getMessage()
          + " — check that the cache directory is writable");
    }
  }

  private String copyLocal(IndexFile file, Path tmp) throws IOException {
    try (InputStream in = Files.newInputStream(file.localFile())) {
      return copyHashing(in, tmp);
    }
  }

  private String download(IndexFile file, Path tmp) throws IOException {
    HttpGet.Response response;
    try {
      response = HttpGet.send(file.url(), null, Duration.ofMinutes(10));
    } catch (SocketTimeoutException e) {
      throw failed(file, "timed out");
    } catch (ConnectException e) {
      throw failed(file, "connection refused");
    } catch (IOException e) {
      throw failed(file, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    try (response) {
      if (response.status() != 200) {
        throw failed(file, "HTTP " + response.status());
      }
      String sha;
      try {
        sha = copyHashing(response.body(), tmp);
      } catch (SocketTimeoutException e) {
        throw failed(file, "timed out");
      }
      downloads++;
      downloadedBytes += Files.size(tmp);
      return sha;
    }
  }

  private DataHubException failed(IndexFile file, String why) {
    return new DataHubException("cannot download " + file.fileName() + " from " + file.url() + " (" + why
        + ") — check <python><index> and the network, or put the wheel in <findLinks>");
  }

  private static String copyHashing(InputStream in, Path target) throws IOException {
    MessageDigest sha = sha256();
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(target)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public int downloads() {
    return downloads;
  }

  public long downloadedBytes() {
    return downloadedBytes;
  }
}
