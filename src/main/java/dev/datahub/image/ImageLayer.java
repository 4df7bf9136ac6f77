package dev.datahub.image;

import java.util.List;

/**
 * One image layer to add on top of the base: a name for progress lines and the files it holds.
 * Producers other than the content mappings (e.g. Python packages) hand layers to the image build
 * in this form, so the image step needs no knowledge of where files came from.
 *
 * @param name shown in progress lines, e.g. {@code notebooks} or {@code python: numpy 2.1.0}
 * @param files the files, in the order they are written
 * @param owner {@code uid:gid} of files that do not name their own
 */
public record ImageLayer(String name, List<ImageFile> files, String owner) {

  public ImageLayer {
    files = List.copyOf(files);
    owner = owner == null || owner.isBlank() ? "0:0" : owner;
  }

  /** A layer whose files belong to root ({@code 0:0}). */
  public ImageLayer(String name, List<ImageFile> files) {
    this(name, files, null);
  }

  /**
   * A file (or directory) to place in the image.
   *
   * @param source a file or directory on disk
   * @param pathInImage absolute path in the image, with forward slashes
   * @param mode POSIX permission bits, e.g. {@code 0644}
   * @param owner {@code uid:gid}; null: the layer's owner
   * @param sha256 hex SHA-256 of the file's content when its producer has just written it and knows it (the image's
   *     input hash then need not read the file again); null: unknown, read from {@code source}
   */
  public record ImageFile(java.nio.file.Path source, String pathInImage, int mode, String owner, String sha256) {
    public ImageFile {
      if (!pathInImage.startsWith("/")) {
        throw new IllegalArgumentException("path in image must be absolute: " + pathInImage);
      }
    }

    public ImageFile(java.nio.file.Path source, String pathInImage, int mode, String owner) {
      this(source, pathInImage, mode, owner, null);
    }

    public ImageFile(java.nio.file.Path source, String pathInImage, int mode) {
      this(source, pathInImage, mode, null, null);
    }

    /** A directory entry; a file whose content hash its producer gave is a regular file, so it needs no look. */
    public boolean isDirectory() {
      return sha256 == null && java.nio.file.Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
  }
}
