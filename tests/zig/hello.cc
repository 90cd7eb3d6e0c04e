#include <iostream>
#include <map>
#include <string>

// A C++ program using iostream, std::string and std::map: Zig's libc++ and libc++abi are linked.
int main() {
	std::map<std::string, int> m{{"hello", 1}, {"from", 2}, {"C++", 3}};
	std::cout << "hello from C++, " << m.size() << " entries" << std::endl;
	return 0;
}
