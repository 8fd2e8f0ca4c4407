package herald.sim.smpp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BindType;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.Session;

/**
 * Every connection the simulator holds, and which of them are bound. A bind first reserves a slot
 * (so that {@code maxBinds} holds under concurrent binds) and becomes ready, that is eligible for
 * deliver_sm, only once its bind_resp has been written. Thread-safe: slot accounting and the
 * accepting flag are guarded by this object's monitor, lookups use concurrent maps.
 */
final class SessionRegistry {
  private final Set<SMPPServerSession> open = ConcurrentHashMap.newKeySet();
  private final Map<Session, BindType> reserved = new ConcurrentHashMap<>();
  private final Map<Session, SMPPServerSession> receivers = new ConcurrentHashMap<>();
  private final Map<Session, BindType> ready = new ConcurrentHashMap<>();
  private final AtomicInteger nextReceiver = new AtomicInteger();
  private boolean accepting = true;

  /**
   * Records a newly accepted connection.
   *
   * @return false while paused or closed: the caller must close the session
   */
  synchronized boolean opened(SMPPServerSession session) {
    if (!accepting) {
      return false;
    }
    open.add(session);
    return true;
  }

  /**
   * Reserves a bind slot for an authenticated session.
   *
   * @return ESME_ROK, or ESME_RBINDFAIL when {@code maxBinds} slots are taken or the simulator is
   *     paused
   */
  synchronized int reserve(SMPPServerSession session, BindType type, int maxBinds) {
    if (!accepting || !open.contains(session) || reserved.size() >= maxBinds) {
      return SMPPConstant.STAT_ESME_RBINDFAIL;
    }
    reserved.put(session, type);
    return SMPPConstant.STAT_ESME_ROK;
  }

  /** Marks a reserved session as bound: its bind_resp has been written. */
  void ready(SMPPServerSession session) {
    BindType type = reserved.get(session);
    if (type == null) {
      return; // dropped between reserve and bind_resp
    }
    ready.put(session, type);
    if (type.isReceivable()) {
      receivers.put(session, session);
    }
  }

  /**
   * Forgets a session that unbound or closed.
   *
   * @return the bind type it held, or null if it was never bound (or already forgotten)
   */
  BindType release(Session session) {
    open.remove(session);
    receivers.remove(session);
    BindType wasReady = ready.remove(session);
    BindType wasReserved;
    synchronized (this) {
      wasReserved = reserved.remove(session);
    }
    return wasReady != null ? wasReady : wasReserved;
  }

  /**
   * A bound receiver or transceiver for a deliver_sm, rotating among them, or null if none. Only
   * one system_id can bind, so any receiver is the right one.
   */
  SMPPServerSession pickReceiver() {
    List<SMPPServerSession> candidates = new ArrayList<>(receivers.values());
    candidates.removeIf(s -> !s.getSessionState().isReceivable());
    if (candidates.isEmpty()) {
      return null;
    }
    int at = Math.floorMod(nextReceiver.getAndIncrement(), candidates.size());
    return candidates.get(at);
  }

  int boundCount() {
    return ready.size();
  }

  /** Refuses new connections and binds, and hands back every open session for closing. */
  synchronized List<SMPPServerSession> stopAccepting() {
    accepting = false;
    List<SMPPServerSession> all = new ArrayList<>(open);
    open.clear();
    reserved.clear();
    ready.clear();
    receivers.clear();
    return all;
  }

  /** Accepts connections and binds again after {@link #stopAccepting()}. */
  synchronized void startAccepting() {
    accepting = true;
  }
}
