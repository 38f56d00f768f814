// Redocly CLI plugin (redocly.yaml `plugins`): `x-paths` is linted like
// `paths`. Its keys are `<path template>#<label>` and its values Path Item
// objects with the further operations of a path and method that `paths`
// already has (README, "Spec conventions"). Without this plugin Redocly takes
// `x-paths` for an opaque extension: its operations go unchecked and the
// components only they use are reported as unused.
module.exports = function xPaths() {
  return {
    id: 'x-paths',
    typeExtension: {
      oas3(types) {
        return {
          ...types,
          Root: {
            ...types.Root,
            properties: { ...types.Root.properties, 'x-paths': 'XPaths' },
          },
          XPaths: {
            properties: {},
            additionalProperties: (_value, key) => (key.startsWith('/') ? 'PathItem' : undefined),
          },
        };
      },
    },
  };
};
