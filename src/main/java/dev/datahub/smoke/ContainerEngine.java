package dev.datahub.smoke;

import dev.datahub.DataHubException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The machine's container engine — {@code docker} or {@code podman}, same command line for what the
 * image test needs — found on {@code PATH} or configured, and proven to answer ({@code <engine>
 * info}): a docker CLI without a daemon does not count.
 *
 * @param name {@code docker} or {@code podman}
 * @param executable the binary
 * @param environment the variables every command gets (e.g. {@code CONTAINERS_CONF}); inherited ones stay
 */
public record ContainerEngine(String name, Path executable, Map<String, String> environment) {

  /** One line for people who have none. */
  public static final String INSTALL =
      "install Docker (https://docs.docker.com/engine/install/) or Podman (apt-get install -y podman)";

  /** What docker and podman read to find their daemon, configuration and storage. */
  public static final List<String> CONFIGURATION_VARIABLES = List.of("DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT",
      "CONTAINER_HOST", "CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF", "CONTAINERS_REGISTRIES_CONF", "REGISTRY_AUTH_FILE");

  public ContainerEngine {
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }

  /** What a command printed and how it ended. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The last lines of the output, on one line. */
    public String tail(int lines) {
      List<String> all = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      return String.join(" / ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }

  /**
   * {@link #find(String, Map, String, List)} as this build's environment ({@code environment}: a variable's value by
   * name) sees it: its {@code PATH}, and the variables docker and podman read for their daemon, storage and registries.
   */
  public static Optional<ContainerEngine> find(String configured, Function<String, String> environment,
      List<String> why) {
    Map<String, String> passed = new TreeMap<>();
    for (String name : CONFIGURATION_VARIABLES) {
      String value = environment.apply(name);
      if (value != null) {
        passed.put(name, value);
      }
    }
    return find(configured, passed, environment.apply("PATH"), why);
  }

  /**
   * The configured engine (a name on PATH or a path), else the first of docker and podman on
   * {@code PATH} whose {@code info} succeeds; empty when none answers.
   *
   * @param configured {@code docker}, {@code podman}, a path to either, or null to search
   * @param environment variables for the engine on top of the inherited ones (e.g. {@code CONTAINERS_CONF})
   * @param path the directories to search, as in {@code PATH}
   * @param why receives one line per engine that was found but did not answer
   */
  public static Optional<ContainerEngine> find(String configured, Map<String, String> environment, String path,
      List<String> why) {
    List<String> candidates = configured == null || configured.isBlank() ? List.of("docker", "podman") : List.of(configured.strip());
    for (String candidate : candidates) {
      Optional<Path> exe = locate(candidate, path);
      if (exe.isEmpty()) {
        if (configured != null && !configured.isBlank()) {
          why.add("the configured container engine '" + candidate + "' is not on PATH");
        }
        continue;
      }
      String name = exe.get().getFileName().toString().contains("podman") ? "podman" : "docker";
      ContainerEngine engine = new ContainerEngine(name, exe.get(), environment);
      Result info = engine.run(List.of("info"), 60);
      if (info.ok()) {
        return Optional.of(engine);
      }
      why.add(exe.get() + " does not answer (" + info.tail(1) + ")");
    }
    return Optional.empty();
  }

  private static Optional<Path> locate(String nameOrPath, String path) {
    if (nameOrPath.contains("/")) {
      Path p = Path.of(nameOrPath);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, nameOrPath);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Runs {@code <engine> args…} and waits up to {@code timeoutSeconds}. */
  public Result run(List<String> args, long timeoutSeconds) {
    Process p = start(args);
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, name + " " + String.join(" ", args) + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** Starts {@code <engine> args…}; stdout and stderr are merged. */
  public Process start(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(environment);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new DataHubException("cannot run " + executable + ": " + e.getMessage() + " — " + INSTALL);
    }
  }

  /** This engine with more variables for every command. */
  public ContainerEngine withEnvironment(Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(environment);
    all.putAll(more);
    return new ContainerEngine(name, executable, all);
  }

  public boolean isPodman() {
    return "podman".equals(name);
  }
}
