# The Debian package (`cpack -G DEB` in a release build dir, or the `deb` build target):
# iiot-producer_<version>_amd64.deb with the binary in /usr/bin, the example config as a
# conffile in /etc/iiot-producer, the systemd unit, and the docs. Dependencies are the
# shared libraries' packages, found by dpkg-shlibdeps. docs/deployment.md describes it.
install(TARGETS iiot-producer RUNTIME DESTINATION bin)
install(FILES config/default.yaml DESTINATION /etc/iiot-producer RENAME config.yaml)
install(FILES deploy/debian/iiot-producer.service DESTINATION lib/systemd/system)
install(FILES README.md docs/deployment.md docs/configuration.md docs/operations.md
        DESTINATION share/doc/iiot-producer)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME iiot-producer)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "simulated fleet of industrial devices streaming readings into Apache Kafka")
set(CPACK_PACKAGE_DESCRIPTION
    "Simulates temperature, humidity, pressure, switch and current sensors across buildings, \
floors and rooms and produces their readings to Kafka, every message accounted for.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "iiot-producer developers <iiot-producer@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postrm
    ${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
