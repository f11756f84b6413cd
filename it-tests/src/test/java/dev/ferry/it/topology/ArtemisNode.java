package dev.ferry.it.topology;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One Artemis broker of a topology, in a process of its own ({@link ArtemisMain}): its {@code
 * broker.xml} (written here from its role and its peers), its journal directory, which survives a
 * {@code kill -9}, and its process.
 */
final class ArtemisNode implements AutoCloseable {
  /** What the broker is in its topology. */
  enum Role {
    /** Replicating primary of an HA pair; takes its role back when restarted (fail-back). */
    PRIMARY,
    /** Replica of an HA pair; active while the primary is down, passive again after fail-back. */
    BACKUP,
    /** Member of a symmetric cluster that redistributes messages to where the consumers are. */
    CLUSTER_MEMBER
  }

  private final String name;
  private final Role role;
  private final int port;
  private final Path dir;
  private final ChildJvm process;
  private List<ArtemisNode> peers = List.of();

  ArtemisNode(String name, Role role, Path workDir) throws IOException {
    this.name = name;
    this.role = role;
    this.port = freePort();
    this.dir = workDir.resolve(name);
    this.process =
        new ChildJvm(
            name, ArtemisMain.class, List.of(dir.resolve("broker.xml").toString()), Map.of(), dir);
  }

  int port() {
    return port;
  }

  String tcp() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Makes each of the brokers a peer of every other one (connectors and cluster connection). */
  static void join(ArtemisNode... brokers) {
    for (ArtemisNode node : brokers) {
      node.peers = Arrays.stream(brokers).filter(b -> b != node).toList();
    }
  }

  /** Starts the process and waits until it reports {@code state}. */
  ArtemisNode start(String state) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("broker.xml"), brokerXml());
    int from = process.mark();
    process.start();
    awaitState(state, from, Duration.ofSeconds(60));
    return this;
  }

  /** Waits for the state to be reported after the report line {@code from}. */
  void awaitState(String state, int from, Duration timeout) {
    process.awaitExactLine("STATE " + state, from, timeout);
  }

  /** The broker's last report of its queues: name=messages/consumers. */
  String queues() {
    return process.lastLine("QUEUES ");
  }

  /** Messages in a queue by the broker's last report; 0 for a queue that does not exist. */
  long messages(String queue) {
    for (String entry : queues().split(" ")) {
      if (entry.startsWith(queue + "=")) {
        return Long.parseLong(entry.substring(queue.length() + 1, entry.indexOf('/')));
      }
    }
    return 0;
  }

  int mark() {
    return process.mark();
  }

  void kill9() throws InterruptedException {
    process.kill9();
  }

  @Override
  public void close() {
    process.close();
  }

  private String brokerXml() {
    String connectors =
        "<connector name=\"self\">"
            + tcp()
            + "</connector>\n"
            + peers.stream()
                .map(p -> "<connector name=\"" + p.name + "\">" + p.tcp() + "</connector>")
                .collect(Collectors.joining("\n"));
    String staticConnectors =
        peers.stream()
            .map(p -> "<connector-ref>" + p.name + "</connector-ref>")
            .collect(Collectors.joining());
    String haPolicy =
        switch (role) {
          case PRIMARY ->
              "<ha-policy><replication><primary>"
                  + "<check-for-active-server>true</check-for-active-server>"
                  + "</primary></replication></ha-policy>";
          case BACKUP ->
              "<ha-policy><replication><backup>"
                  + "<allow-failback>true</allow-failback>"
                  + "</backup></replication></ha-policy>";
          case CLUSTER_MEMBER -> "";
        };
    return """
        <configuration xmlns="urn:activemq">
          <core xmlns="urn:activemq:core">
            <name>%s</name>
            <persistence-enabled>true</persistence-enabled>
            <security-enabled>false</security-enabled>
            <journal-type>NIO</journal-type>
            <journal-datasync>false</journal-datasync>
            <bindings-directory>%s/bindings</bindings-directory>
            <journal-directory>%s/journal</journal-directory>
            <paging-directory>%s/paging</paging-directory>
            <large-messages-directory>%s/large-messages</large-messages-directory>
            <cluster-user>ferry-cluster</cluster-user>
            <cluster-password>ferry-cluster-test</cluster-password>
            %s
            <connectors>%s</connectors>
            <acceptors><acceptor name="tcp">%s?protocols=CORE</acceptor></acceptors>
            <cluster-connections>
              <cluster-connection name="ferry">
                <connector-ref>self</connector-ref>
                <retry-interval>200</retry-interval>
                <message-load-balancing>ON_DEMAND</message-load-balancing>
                <max-hops>1</max-hops>
                <static-connectors>%s</static-connectors>
              </cluster-connection>
            </cluster-connections>
            <address-settings>
              <address-setting match="#">
                <dead-letter-address>DLQ</dead-letter-address>
                <auto-create-dead-letter-resources>true</auto-create-dead-letter-resources>
                <max-delivery-attempts>10</max-delivery-attempts>
                <redistribution-delay>0</redistribution-delay>
                <auto-create-queues>true</auto-create-queues>
                <auto-create-addresses>true</auto-create-addresses>
                <!-- In a cluster an auto-deleted address takes its remote bindings with it: new
                     messages then stay on a broker without consumers. docs/deployment.md -->
                <auto-delete-queues>false</auto-delete-queues>
                <auto-delete-addresses>false</auto-delete-addresses>
              </address-setting>
            </address-settings>
          </core>
        </configuration>
        """
        .formatted(name, dir, dir, dir, dir, haPolicy, connectors, tcp(), staticConnectors);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
