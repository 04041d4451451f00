// SPDX-License-Identifier: MIT
#include "core/cli/resolver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <vector>

namespace bouncedx::cli {

bool ParseServer(const std::string& text, ResolverConfig* config, std::string* error) {
  std::string host = text;
  std::string digits;
  bool has_port = false;
  if (!text.empty() && text[0] == '[') {
    // "[2001:db8::53]" or "[2001:db8::53]:5353"
    const size_t close = text.find(']');
    if (close == std::string::npos) {
      *error = "missing \"]\" in " + text;
      return false;
    }
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') {
        *error = "expected \":PORT\" after \"]\" in " + text;
        return false;
      }
      digits = text.substr(close + 2);
      has_port = true;
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    // "192.0.2.53:5353"; two colons or more make a bare IPv6 address.
    const size_t colon = text.find(':');
    host = text.substr(0, colon);
    digits = text.substr(colon + 1);
    has_port = true;
  }
  int port = 53;
  if (has_port) {
    if (digits.empty() || digits.size() > 5 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      *error = "bad port in " + text;
      return false;
    }
    port = std::stoi(digits);
    if (port < 1 || port > 65535) {
      *error = "bad port in " + text;
      return false;
    }
  }
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, host.c_str(), &v4) != 1 && inet_pton(AF_INET6, host.c_str(), &v6) != 1) {
    *error = "not an IPv4 or IPv6 address: " + host;
    return false;
  }
  config->server = host;
  config->port = port;
  return true;
}

namespace {

using Clock = std::chrono::steady_clock;

// One server's socket address, IPv4 or IPv6.
struct Server {
  sockaddr_storage address{};
  socklen_t length = 0;
  int family() const { return address.ss_family; }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&address); }
};

bool MakeServer(const std::string& host, int port, Server* server) {
  sockaddr_in v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&server->address, &v4, sizeof v4);
    server->length = sizeof v4;
    return true;
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&server->address, &v6, sizeof v6);
    server->length = sizeof v6;
    return true;
  }
  return false;
}

// The servers to ask: the given one, else those of resolv.conf (glibc keeps
// IPv6 servers in its extension table, with an empty IPv4 slot).
std::vector<Server> Servers(const ResolverConfig& config) {
  std::vector<Server> servers;
  Server server;
  if (!config.server.empty() && MakeServer(config.server, config.port, &server)) {
    servers.push_back(server);
    return servers;
  }
  struct __res_state state;
  std::memset(&state, 0, sizeof state);
  if (res_ninit(&state) == 0) {
    for (int i = 0; i < state.nscount && i < MAXNS; ++i) {
      server = Server();
      if (state.nsaddr_list[i].sin_family == AF_INET) {
        std::memcpy(&server.address, &state.nsaddr_list[i], sizeof(sockaddr_in));
        server.length = sizeof(sockaddr_in);
        servers.push_back(server);
      } else if (state._u._ext.nsaddrs[i] != nullptr &&
                 state._u._ext.nsaddrs[i]->sin6_family == AF_INET6) {
        std::memcpy(&server.address, state._u._ext.nsaddrs[i], sizeof(sockaddr_in6));
        server.length = sizeof(sockaddr_in6);
        servers.push_back(server);
      }
    }
    res_nclose(&state);
  }
  if (servers.empty() && MakeServer("127.0.0.1", 53, &server)) servers.push_back(server);
  return servers;
}

// Sends `query` over TCP (RFC 7766) and reads one length-prefixed answer,
// within `timeout_ms`. Empty on any failure.
std::string AskTcp(const Server& server, const std::string& query, int timeout_ms) {
  int fd = socket(server.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string answer;
  if (connect(fd, server.get(), server.length) == 0) {
    std::string framed;
    framed.push_back(static_cast<char>(query.size() >> 8));
    framed.push_back(static_cast<char>(query.size() & 0xFF));
    framed += query;
    if (send(fd, framed.data(), framed.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(framed.size())) {
      unsigned char length[2];
      if (recv(fd, length, 2, MSG_WAITALL) == 2) {
        size_t size = (static_cast<size_t>(length[0]) << 8) | length[1];
        answer.resize(size);
        if (size == 0 || recv(fd, answer.data(), size, MSG_WAITALL) != static_cast<ssize_t>(size)) {
          answer.clear();
        }
      }
    }
  }
  close(fd);
  return answer;
}

// Random DNS message IDs (RFC 5452 §4.3), one generator per run.
class MessageIds {
 public:
  MessageIds() : engine_(std::random_device()()) {}
  uint16_t Next() { return static_cast<uint16_t>(engine_() & 0xFFFF); }

 private:
  std::mt19937 engine_;
};

struct InFlight {
  Question question;
  std::string wire;           // the question as sent, with this try's ID
  int fd = -1;
  size_t server = 0;
  int tries = 0;
  Clock::time_point deadline;
};

bool SendUdp(InFlight& flight, const std::vector<Server>& servers, MessageIds& ids,
             int timeout_ms) {
  if (flight.fd >= 0) close(flight.fd);
  const Server& server = servers[flight.server % servers.size()];
  flight.fd = socket(server.family(), SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (flight.fd < 0) return false;
  // Connected, so that an ICMP "port unreachable" comes back as an error.
  if (connect(flight.fd, server.get(), server.length) != 0) return false;
  // A fresh random message ID per try (the engine's query carries 0), so an
  // off-path guess must match both it and the source port.
  const uint16_t id = ids.Next();
  flight.wire[0] = static_cast<char>(id >> 8);
  flight.wire[1] = static_cast<char>(id & 0xFF);
  if (send(flight.fd, flight.wire.data(), flight.wire.size(), 0) < 0) return false;
  ++flight.tries;
  flight.deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  return true;
}

}  // namespace

int ResolveAll(Diagnosis& diagnosis, const ResolverConfig& config) {
  const std::vector<Server> servers = Servers(config);
  MessageIds ids;
  const int timeout_ms = config.timeout_seconds * 1000;
  const int max_tries = config.attempts < 1 ? 1 : config.attempts;
  std::vector<Question> waiting;
  std::vector<InFlight> flights;
  int handled = 0;
  int rounds = 0;

  auto finish = [&](size_t index) {
    if (flights[index].fd >= 0) close(flights[index].fd);
    flights.erase(flights.begin() + static_cast<std::ptrdiff_t>(index));
    ++handled;
  };

  while (true) {
    // New questions, as soon as the engine has them.
    std::vector<Question> fresh = diagnosis.TakeQuestions();
    if (!fresh.empty()) ++rounds;
    for (Question& question : fresh) waiting.push_back(std::move(question));
    while (!waiting.empty() && flights.size() < static_cast<size_t>(config.parallel)) {
      InFlight flight;
      flight.question = std::move(waiting.front());
      flight.wire = flight.question.wire;
      waiting.erase(waiting.begin());
      if (!SendUdp(flight, servers, ids, timeout_ms)) {
        if (flight.fd >= 0) close(flight.fd);
        diagnosis.OnFailure(flight.question.id, FailureKind::kNetwork,
                            std::string("cannot send: ") + std::strerror(errno));
        ++handled;
        continue;
      }
      flights.push_back(std::move(flight));
    }
    if (flights.empty()) {
      if (waiting.empty() && (diagnosis.finished() || diagnosis.TakeQuestions().empty())) break;
      continue;
    }
    if (rounds > config.max_rounds) {
      for (size_t i = flights.size(); i-- > 0;) {
        diagnosis.OnFailure(flights[i].question.id, FailureKind::kCancelled, "too many rounds");
        finish(i);
      }
      for (const Question& question : waiting) {
        diagnosis.OnFailure(question.id, FailureKind::kCancelled, "too many rounds");
      }
      waiting.clear();
      break;
    }

    // Wait for the first answer or the nearest deadline.
    std::vector<pollfd> fds;
    Clock::time_point nearest = flights.front().deadline;
    for (const InFlight& flight : flights) {
      fds.push_back(pollfd{flight.fd, POLLIN, 0});
      if (flight.deadline < nearest) nearest = flight.deadline;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(nearest - Clock::now()).count();
    poll(fds.data(), fds.size(), wait < 0 ? 0 : static_cast<int>(wait) + 1);

    Clock::time_point now = Clock::now();
    for (size_t i = flights.size(); i-- > 0;) {
      InFlight& flight = flights[i];
      if (fds[i].revents != 0) {
        char buffer[65536];
        ssize_t length = recv(flight.fd, buffer, sizeof buffer, 0);
        if (length < 0) {
          if (errno == EAGAIN || errno == EWOULDBLOCK) continue;
          std::string why = errno == ECONNREFUSED ? "connection refused" : std::strerror(errno);
          if (flight.tries < max_tries) {
            ++flight.server;
            if (SendUdp(flight, servers, ids, timeout_ms)) continue;
          }
          diagnosis.OnFailure(flight.question.id, FailureKind::kNetwork, "resolver unreachable: " + why);
          finish(i);
          continue;
        }
        std::string answer(buffer, static_cast<size_t>(length));
        // Not ours (another ID or not a response): keep waiting.
        if (answer.size() < 12 || answer[0] != flight.wire[0] || answer[1] != flight.wire[1] ||
            (answer[2] & 0x80) == 0) {
          continue;
        }
        if ((answer[2] & 0x02) != 0) {  // TC: ask again over TCP
          std::string whole = AskTcp(servers[flight.server % servers.size()], flight.wire, timeout_ms);
          if (whole.size() >= 12 && whole[0] == flight.wire[0] && whole[1] == flight.wire[1]) {
            answer = whole;
          }
        }
        // The engine sees the ID it asked with.
        answer[0] = flight.question.wire[0];
        answer[1] = flight.question.wire[1];
        diagnosis.OnAnswer(flight.question.id, answer);
        finish(i);
      } else if (now >= flight.deadline) {
        if (flight.tries < max_tries) {
          ++flight.server;
          if (SendUdp(flight, servers, ids, timeout_ms)) continue;
        }
        diagnosis.OnFailure(flight.question.id, FailureKind::kTimeout, "");
        finish(i);
      }
    }
  }
  return handled;
}

}  // namespace bouncedx::cli
