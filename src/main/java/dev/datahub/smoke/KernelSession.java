package dev.datahub.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One kernel's channels over the user server's WebSocket (Jupyter messaging protocol, JSON text
 * frames with a {@code channel} field). Executions run one at a time.
 */
final class KernelSession implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * A bound on memory only: {@code <expect>} is matched on everything up to here; what reports show is redacted and
   * then cut much shorter by {@link HubSmokeRun}.
   */
  private static final int MAX_OUTPUT = 1024 * 1024;
  private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile("\u001b\\[[0-9;]*[A-Za-z]");
  /** Queued when the socket ends; {@code reason} says why. */
  private static final String CLOSED = "__closed__";

  private final WebSocket socket;
  private final BlockingQueue<JsonNode> inbox;
  private final String session = UUID.randomUUID().toString();
  private final String username;

  private KernelSession(WebSocket socket, BlockingQueue<JsonNode> inbox, String username) {
    this.socket = socket;
    this.inbox = inbox;
    this.username = username;
  }

  /** How one execution ended. */
  enum Outcome { OK, ERROR, TIMEOUT, DIED }

  /**
   * @param outcome how it ended
   * @param output stdout, stderr, text results and the traceback of an error, kept up to 1 MB (not redacted: the caller redacts, then shortens)
   * @param ename the exception class name on ERROR
   * @param evalue the exception message on ERROR, or what happened on TIMEOUT/DIED
   * @param kernelMillis busy→idle time as reported by the kernel's message dates, -1 when unknown
   */
  record Execution(Outcome outcome, String output, String ename, String evalue, long kernelMillis) {
    String error() {
      return switch (outcome) {
        case OK -> null;
        case ERROR -> ename + ": " + evalue;
        case TIMEOUT, DIED -> evalue;
      };
    }
  }

  static KernelSession open(HttpClient http, URI channels, HubToken token, String username, Duration timeout)
      throws InterruptedException {
    BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    WebSocket.Listener listener = new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          String text = partial.toString();
          partial.setLength(0);
          try {
            inbox.add(JSON.readTree(text));
          } catch (IOException e) {
            // not a Jupyter message; ignore it
          }
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        inbox.add(closed("the kernel connection was closed (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")"));
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        inbox.add(closed("the kernel connection failed: " + HubClient.describe(error)));
      }
    };
    try {
      WebSocket socket = http.newWebSocketBuilder()
          .header("Authorization", "token " + token.value())
          .connectTimeout(timeout)
          .buildAsync(channels, listener)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new KernelSession(socket, inbox, username);
    } catch (ExecutionException e) {
      throw new DataHubException("cannot open the kernel WebSocket " + channels + ": " + HubClient.describe(e.getCause())
          + " — check that the proxy/ingress in front of the hub passes WebSocket upgrades");
    } catch (TimeoutException e) {
      throw new DataHubException("the kernel WebSocket " + channels + " did not open within " + Deadline.seconds(timeout)
          + " — check that the proxy/ingress in front of the hub passes WebSocket upgrades");
    }
  }

  private static JsonNode closed(String reason) {
    ObjectNode n = JSON.createObjectNode();
    n.put(CLOSED, reason);
    return n;
  }

  /**
   * Runs {@code code} and waits until both {@code execute_reply} (shell) and {@code status: idle}
   * (iopub) for this request have arrived, in either order, or until {@code timeout}.
   */
  Execution execute(String code, Duration timeout) throws InterruptedException {
    String msgId = UUID.randomUUID().toString();
    ObjectNode msg = JSON.createObjectNode();
    ObjectNode header = msg.putObject("header");
    header.put("msg_id", msgId);
    header.put("username", username);
    header.put("session", session);
    header.put("msg_type", "execute_request");
    header.put("version", "5.3");
    header.put("date", Instant.now().toString());
    msg.putObject("parent_header");
    msg.putObject("metadata");
    ObjectNode content = msg.putObject("content");
    content.put("code", code);
    content.put("silent", false);
    content.put("store_history", true);
    content.putObject("user_expressions");
    content.put("allow_stdin", false);
    // Checks are independent: with stop_on_error the kernel aborts requests arriving shortly after an
    // error, so under load the next check would come back "aborted" without having run.
    content.put("stop_on_error", false);
    msg.put("channel", "shell");
    msg.putArray("buffers");

    Deadline deadline = Deadline.after(timeout, "executionTimeout");
    try {
      socket.sendText(msg.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return new Execution(Outcome.DIED, "", null, "cannot send to the kernel: " + HubClient.describe(e.getCause()), -1);
    } catch (TimeoutException e) {
      return new Execution(Outcome.TIMEOUT, "", null, "sending to the kernel took longer than executionTimeout "
          + Deadline.seconds(timeout), -1);
    }

    StringBuilder output = new StringBuilder();
    String ename = null;
    String evalue = null;
    boolean replied = false;
    boolean idle = false;
    Instant busyAt = null;
    Instant idleAt = null;
    while (!(replied && idle)) {
      JsonNode in = inbox.poll(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
      if (in == null) {
        return new Execution(Outcome.TIMEOUT, cap(output), null,
            "no result within executionTimeout " + Deadline.seconds(timeout), -1);
      }
      if (in.has(CLOSED)) {
        return new Execution(Outcome.DIED, cap(output), null, in.get(CLOSED).asText(), -1);
      }
      String type = in.path("header").path("msg_type").asText(in.path("msg_type").asText(""));
      JsonNode body = in.path("content");
      if ("status".equals(type)) {
        String state = body.path("execution_state").asText();
        if ("restarting".equals(state) || "dead".equals(state)) {
          return new Execution(Outcome.DIED, cap(output), null,
              "the kernel died (" + state + ") while running this code", -1);
        }
      }
      if (!msgId.equals(in.path("parent_header").path("msg_id").asText())) {
        continue; // e.g. the server's own kernel_info_request
      }
      switch (type) {
        case "stream" -> output.append(body.path("text").asText());
        case "execute_result", "display_data" -> {
          JsonNode text = body.path("data").path("text/plain");
          if (text.isTextual()) {
            output.append(text.asText()).append('\n');
          }
        }
        case "error" -> {
          ename = body.path("ename").asText();
          evalue = body.path("evalue").asText();
          // The traceback goes into the output so reports show where it failed; kernels colour it with ANSI codes.
          StringBuilder tb = new StringBuilder();
          body.path("traceback").forEach(line -> tb.append(line.asText()).append('\n'));
          output.append(ANSI.matcher(tb).replaceAll(""));
        }
        case "execute_reply" -> {
          replied = true;
          String status = body.path("status").asText();
          if ("error".equals(status) && ename == null) {
            ename = body.path("ename").asText("Error");
            evalue = body.path("evalue").asText("");
          } else if ("aborted".equals(status) && ename == null) {
            ename = "Aborted";
            evalue = "the kernel aborted this execution without running it";
          }
        }
        case "status" -> {
          String state = body.path("execution_state").asText();
          if ("busy".equals(state)) {
            busyAt = date(in);
          } else if ("idle".equals(state)) {
            idle = true;
            idleAt = date(in);
          }
        }
        default -> { }
      }
    }
    long kernelMillis = busyAt != null && idleAt != null ? Duration.between(busyAt, idleAt).toMillis() : -1;
    return ename == null
        ? new Execution(Outcome.OK, cap(output), null, null, kernelMillis)
        : new Execution(Outcome.ERROR, cap(output), ename, evalue, kernelMillis);
  }

  private static Instant date(JsonNode msg) {
    try {
      String d = msg.path("header").path("date").asText(null);
      return d == null ? null : java.time.OffsetDateTime.parse(d).toInstant();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String cap(StringBuilder sb) {
    return sb.length() <= MAX_OUTPUT ? sb.toString() : sb.substring(0, MAX_OUTPUT) + "\n… (output cut at 1 MB)";
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the socket is going away either way
    } finally {
      socket.abort();
    }
  }
}
