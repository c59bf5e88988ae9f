// Lookup: how the JVM resolves a name (README "Clients"). InetAddress goes
// through getaddrinfo, hence the module, but the JVM keeps positive answers
// itself for networkaddress.cache.ttl seconds (30 by default).
// Usage: java Lookup.java NAME FILE: resolves NAME, waits until FILE exists
// (the test changes dots.conf meanwhile), resolves NAME again; prints both.
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

public class Lookup {
	public static void main(String[] args) throws Exception {
		String first = InetAddress.getByName(args[0]).getHostAddress();
		System.out.println("first " + first);
		System.out.flush();
		while (!Files.exists(Path.of(args[1])))
			Thread.sleep(50);
		System.out.println("second " + InetAddress.getByName(args[0]).getHostAddress());
	}
}
