# Builds the gateway jar, then runs it on a JRE with the routes folder beside it (mount your own over /app/routes).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --home /app gateway && mkdir -p /app/data && chown gateway /app/data
COPY --from=build /src/target/whatsapp-gateway.jar /app/whatsapp-gateway.jar
COPY routes /app/routes
# JVM flags (heap, GC, ...) shared with the benchmark and the README's run command
COPY jvm.options /app/jvm.options
USER gateway
# glibc's per-thread malloc arenas inflate a JVM's resident memory for nothing
ENV GATEWAY_DATA_DIR=/app/data GATEWAY_ROUTES_DIR=/app/routes MALLOC_ARENA_MAX=2
EXPOSE 8080 61616
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/whatsapp-gateway.jar"]
