# Installation (cmake --install) and the Debian package (cpack -G DEB, scripts/package).
# The manual page and the completion scripts are generated at build time by the wi-setup just
# built, from its own CLI definition, so neither can drift from the flags it accepts.
include(GNUInstallDirs)

set(generated ${PROJECT_BINARY_DIR}/generated/share)
add_custom_command(
  OUTPUT ${generated}/wi-setup.1 ${generated}/wi-setup.bash ${generated}/_wi-setup
         ${generated}/wi-setup.fish
  COMMAND ${CMAKE_COMMAND} -E make_directory ${generated}
  COMMAND wi-setup man > ${generated}/wi-setup.1
  COMMAND wi-setup completion bash > ${generated}/wi-setup.bash
  COMMAND wi-setup completion zsh > ${generated}/_wi-setup
  COMMAND wi-setup completion fish > ${generated}/wi-setup.fish
  DEPENDS wi-setup
  COMMENT "Generating the manual page and the completion scripts"
  VERBATIM)
add_custom_target(wi-setup-reference ALL
                  DEPENDS ${generated}/wi-setup.1 ${generated}/wi-setup.bash
                          ${generated}/_wi-setup ${generated}/wi-setup.fish)

install(TARGETS wi-setup RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${generated}/wi-setup.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${generated}/wi-setup.bash
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
        RENAME wi-setup)
install(FILES ${generated}/_wi-setup
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions)
install(FILES ${generated}/wi-setup.fish
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")

set(CPACK_PACKAGE_NAME wi-setup)
set(CPACK_PACKAGE_VENDOR "wi-setup")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Wire AKS workloads to Azure with Workload Identity, in one command")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "wi-setup maintainers <wi-setup@users.noreply.github.com>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the binary's real shared libraries (dpkg-shlibdeps): cpprestsdk, spdlog,
# yaml-cpp, OpenSSL, Boost's, libstdc++...
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "wi-setup enables the OIDC issuer and workload identity on an AKS cluster, creates a\n"
    "user-assigned managed identity, grants it Key Vault access, annotates the Kubernetes\n"
    "service account and creates the federated identity credential, calling the Azure and\n"
    "Kubernetes APIs directly. plan, verify and disable cover the rest of a binding's life.")
set(CPACK_STRIP_FILES ON)
include(CPack)
