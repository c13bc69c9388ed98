package io.hps.dashboard;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server for GET and HEAD, made for a dashboard that anyone on the machine can reach:
 * no client can hold it up for another. One thread reads request heads and writes answers without ever
 * blocking on a client, so a client that sends half a request, or does not read its answer, costs a buffer
 * and not a thread; a head not complete within {@link Limits#headTimeout} and an answer not taken within
 * {@link Limits#writeTimeout} close the connection. Complete requests go to a bounded pool; when its queue
 * is full the answer is 503 at once. At most {@link Limits#connections} connections are open: a new one
 * closes the oldest that has not finished sending its head. Each answer closes its connection.
 */
final class HttpLoop implements AutoCloseable {
  /** A request head: the method, the target as a URI, and the headers by lower-case name (the first of each). */
  record Request(String method, URI uri, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An answer: status, headers, and the body (not sent for HEAD; its length is). */
  record Response(int code, Map<String, String> headers, byte[] body) {}

  /** What answers requests; runs on the pool's threads. */
  interface Handler {
    Response handle(Request request) throws Exception;
  }

  /** The server's limits. */
  record Limits(Duration headTimeout, Duration writeTimeout, int connections, int threads, int queue,
      int maxHead) {
    /**
     * The dashboard's: 10 s for a head, 60 s to take an answer, 512 connections, 4 threads, 256 requests
     * waiting (answers are cheap: one computation per study snapshot serves them all), heads up to 16 KiB.
     */
    static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 512, 4, 256, 16 * 1024);
  }

  private enum State { HEAD, WORKING, WRITING }

  private final class Connection {
    final SocketChannel channel;
    final SelectionKey key;
    final long opened = System.nanoTime();
    State state = State.HEAD;
    byte[] head = new byte[1024];
    int length;
    ByteBuffer[] answer;
    long writeSince;

    Connection(SocketChannel channel, SelectionKey key) {
      this.channel = channel;
      this.key = key;
    }
  }

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Handler handler;
  private final Limits limits;
  private final ThreadPoolExecutor pool;
  private final Map<SocketChannel, Connection> open = new LinkedHashMap<>(); // in the order they were accepted
  private final ConcurrentLinkedQueue<Runnable> toLoop = new ConcurrentLinkedQueue<>();
  private final Thread loop;
  /** The loop thread's one read buffer: what a read brings is copied into its connection's head at once. */
  private final ByteBuffer reading = ByteBuffer.allocate(4096);
  private volatile boolean closed;

  HttpLoop(InetSocketAddress address, Handler handler, Limits limits) throws IOException {
    this.handler = handler;
    this.limits = limits;
    selector = Selector.open();
    server = ServerSocketChannel.open();
    try {
      server.bind(address, 512);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    pool = new ThreadPoolExecutor(limits.threads(), limits.threads(), 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.queue()), r -> {
          Thread t = new Thread(r, "dashboard");
          t.setDaemon(true);
          return t;
        });
    loop = new Thread(this::run, "dashboard-http");
    loop.setDaemon(true);
  }

  HttpLoop start() {
    loop.start();
    return this;
  }

  InetSocketAddress address() {
    try {
      return (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      loop.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    closeQuietly(server);
  }

  private void run() {
    try {
      while (!closed) {
        selector.select(250);
        for (Runnable r; (r = toLoop.poll()) != null; ) {
          r.run();
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else if (key.attachment() instanceof Connection c) {
            try {
              if (key.isReadable()) {
                read(c);
              } else if (key.isWritable()) {
                write(c);
              }
            } catch (IOException | RuntimeException e) {
              drop(c); // the client went away
            }
          }
        }
        expire();
      }
    } catch (IOException | RuntimeException e) {
      // The selector failed: nothing more can be served. Whoever runs the server sees it stop answering.
      System.err.println("dashboard: the HTTP loop stopped: " + e);
    } finally {
      open.values().forEach(c -> closeQuietly(c.channel));
      open.clear();
      closeQuietly(selector);
    }
  }

  private void accept() throws IOException {
    SocketChannel channel;
    while ((channel = server.accept()) != null) {
      if (open.size() >= limits.connections()) {
        Connection oldest = open.values().stream().filter(c -> c.state == State.HEAD).findFirst().orElse(null);
        if (oldest == null) {
          closeQuietly(channel); // every slot is busy with a request being answered: this one must wait
          continue;
        }
        drop(oldest);
      }
      channel.configureBlocking(false);
      SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
      Connection c = new Connection(channel, key);
      key.attach(c);
      open.put(channel, c);
    }
  }

  private void read(Connection c) throws IOException {
    ByteBuffer buffer = reading.clear();
    int n = c.channel.read(buffer);
    if (n < 0) {
      drop(c);
      return;
    }
    if (c.state != State.HEAD) {
      return; // anything after the head (a body, a pipelined request) is not read: the answer closes
    }
    if (c.length + n > c.head.length) {
      c.head = java.util.Arrays.copyOf(c.head, Math.max(c.head.length * 2, c.length + n));
    }
    System.arraycopy(buffer.array(), 0, c.head, c.length, n);
    int from = Math.max(0, c.length - 3);
    c.length += n;
    int end = headEnd(c.head, from, c.length);
    if (end < 0 && c.length <= limits.maxHead()) {
      return; // more of the head is to come
    }
    if (end < 0 || end > limits.maxHead()) {
      answer(c, plain(431, "the request head is over " + limits.maxHead() + " bytes\n"), false);
      return;
    }
    Request request;
    try {
      request = parse(new String(c.head, 0, end, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException | URISyntaxException e) {
      answer(c, plain(400, "bad request: " + e.getMessage() + "\n"), false);
      return;
    }
    c.state = State.WORKING;
    c.key.interestOps(0);
    boolean head = request.method().equals("HEAD");
    try {
      pool.execute(() -> {
        Response response;
        try {
          response = handler.handle(request);
        } catch (Exception | Error e) {
          response = plain(500, "error: " + e + "\n");
        }
        Response done = response;
        toLoop.add(() -> answer(c, done, head));
        selector.wakeup();
      });
    } catch (RejectedExecutionException busy) {
      answer(c, plain(503, "busy: too many requests at once; try again\n"), head);
    }
  }

  /** The index just after the blank line that ends a head, or -1. */
  private static int headEnd(byte[] b, int from, int to) {
    for (int i = from; i + 3 < to; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    for (int i = from; i + 1 < to; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') {
        return i; // bare newlines, as some hand-written clients send
      }
    }
    return -1;
  }

  static Request parse(String head) throws URISyntaxException {
    String[] lines = head.split("\r?\n");
    String[] first = lines[0].split(" ");
    if (first.length != 3 || !first[2].startsWith("HTTP/1.") || !first[1].startsWith("/")) {
      throw new IllegalArgumentException("the request line is not METHOD /PATH HTTP/1.x");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("a header line without a name");
      }
      headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    return new Request(first[0], new URI(first[1]), headers);
  }

  /** Queues {@code response} on the connection and starts writing it (on the loop's thread only). */
  private void answer(Connection c, Response response, boolean head) {
    if (!c.channel.isOpen()) {
      return;
    }
    StringBuilder h = new StringBuilder("HTTP/1.1 ").append(response.code()).append(' ')
        .append(reason(response.code())).append("\r\n");
    response.headers().forEach((name, value) -> h.append(name).append(": ").append(value).append("\r\n"));
    h.append("Content-Length: ").append(response.body().length).append("\r\nConnection: close\r\n\r\n");
    ByteBuffer top = ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    // The body is not copied: answers kept for many clients are shared, read-only.
    c.answer = head ? new ByteBuffer[] {top} : new ByteBuffer[] {top, ByteBuffer.wrap(response.body())};
    c.head = null;
    c.state = State.WRITING;
    c.writeSince = System.nanoTime();
    try {
      c.key.interestOps(SelectionKey.OP_WRITE);
      write(c);
    } catch (IOException | RuntimeException e) {
      drop(c);
    }
  }

  private void write(Connection c) throws IOException {
    c.channel.write(c.answer);
    if (!c.answer[c.answer.length - 1].hasRemaining()) {
      try {
        c.channel.shutdownOutput();
      } catch (IOException ignored) {
        // closed by the client already
      }
      drop(c);
    }
  }

  private void expire() {
    long now = System.nanoTime();
    for (Connection c : open.values().toArray(new Connection[0])) {
      if (c.state == State.HEAD && now - c.opened > limits.headTimeout().toNanos()
          || c.state == State.WRITING && now - c.writeSince > limits.writeTimeout().toNanos()) {
        drop(c);
      }
    }
  }

  private void drop(Connection c) {
    open.remove(c.channel);
    c.key.cancel();
    closeQuietly(c.channel);
  }

  static Response plain(int code, String text) {
    return new Response(code, Map.of("Content-Type", "text/plain; charset=utf-8"),
        text.getBytes(StandardCharsets.UTF_8));
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 503 -> "Service Unavailable";
      default -> code >= 500 ? "Server Error" : "Status";
    };
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
