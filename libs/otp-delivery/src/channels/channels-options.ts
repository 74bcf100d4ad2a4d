/** Which class delivers each channel; the issuer can replace the built-ins or add channels. */
export class ChannelsOptions {}
