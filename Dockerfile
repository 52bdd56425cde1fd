# Builds the gateway jar, then runs it on a JRE with the routes folder beside it (mount your own over /app/routes).
# Base images pinned to exact releases: Maven 3.9.11 on Temurin JDK 17.0.16+8 (by its multi-platform digest), and
# the JRE of that same Java release.
FROM maven:3.9.11-eclipse-temurin-17@sha256:2490f24bcc21b108f850f7039049a9d7f37d6d10b46b0b77779f5d76c12fad64 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17.0.16_8-jre
WORKDIR /app
RUN useradd --system --home /app gateway && mkdir -p /app/data && chown gateway /app/data
COPY --from=build /src/target/whatsapp-gateway.jar /app/whatsapp-gateway.jar
COPY routes /app/routes
# JVM flags (heap, GC, ...) shared with the benchmark and the README's run command
COPY jvm.options /app/jvm.options
USER gateway
# glibc's per-thread malloc arenas inflate a JVM's resident memory for nothing
ENV GATEWAY_DATA_DIR=/app/data GATEWAY_ROUTES_DIR=/app/routes MALLOC_ARENA_MAX=2
# Only HTTP: the embedded broker's TCP port (61616) listens on the container's own localhost
# (gateway.broker.tcp-host), out of reach. To let JMS consumers outside the container read its queues, run it
# with GATEWAY_BROKER_TCP_HOST=0.0.0.0 and publish 61616 (docker run -p 61616:61616).
EXPOSE 8080
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/whatsapp-gateway.jar"]
